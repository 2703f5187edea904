package io.sr4j.nn;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.upsampling.Upsampling2D;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's nearest-neighbour {@link Upsampling2D} layer for input and output in the blocked layout {@code nChw16c}
 * (see {@link BlockedLayouts}, which puts it in place of the NCHW layer where a graph keeps both sides blocked). An
 * [N, C, H, W] array in that layout is, in memory, the NHWC array [N * C/16, H, W, 16]; nearest upsampling moves
 * whole pixels, so upsampling that NHWC array with libnd4j's op gives the blocked output, and its backward pass the
 * blocked input gradient, with the same values as the NCHW layer.
 */
final class BlockedUpsampling2D extends Upsampling2D {

  BlockedUpsampling2D(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  @Override
  protected CNN2DFormat getFormat() {
    return CNN2DFormat.NHWC;
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    INDArray nchwShaped = input; // [N, C, H, W], blocked
    input = pixels(nchwShaped);
    try {
      INDArray out = super.activate(training, workspaceMgr); // [N * C/16, sH * H, sW * W, 16]
      return out.reshape('c', nchwShaped.size(0), nchwShaped.size(1), out.size(1), out.size(2));
    } finally {
      input = nchwShaped;
    }
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(true);
    INDArray nchwShaped = input;
    input = pixels(nchwShaped);
    try {
      Pair<Gradient, INDArray> r = super.backpropGradient(pixels(epsilon), workspaceMgr);
      return new Pair<>(r.getFirst(), r.getSecond().reshape('c', nchwShaped.shape()));
    } finally {
      input = nchwShaped;
    }
  }

  /** The blocked [N, C, H, W] array {@code a} (dense) as the NHWC array [N * C/16, H, W, 16] it is in memory. */
  private static INDArray pixels(INDArray a) {
    int block = DnnlConvolution.CHANNEL_BLOCK;
    return DnnlConvolution.dense(a).reshape('c', a.size(0) * a.size(1) / block, a.size(2), a.size(3), block);
  }
}
