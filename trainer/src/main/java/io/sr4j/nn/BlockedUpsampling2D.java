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
 * (see {@link BlockedLayouts}, which puts it in place of the NCHW layer where a graph keeps both sides blocked), with
 * the same values as the NCHW layer. Forward: oneDNN's resampling primitive ({@link DnnlUpsampling}; a copy of each
 * pixel, 6-8x faster than libnd4j's op). Backward: libnd4j's op, as DL4J runs it, on the NHWC array [N * C/16, H, W,
 * 16] that a blocked [N, C, H, W] array is in memory (nearest upsampling moves whole pixels); oneDNN's backward sums
 * the gradients of an input pixel in another order, so it would not give the NCHW layer's values to the bit.
 */
final class BlockedUpsampling2D extends Upsampling2D {

  BlockedUpsampling2D(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  /** The layout of the libnd4j backward pass: {@link #pixels} of the blocked arrays. */
  @Override
  protected CNN2DFormat getFormat() {
    return CNN2DFormat.NHWC;
  }

  @Override
  protected INDArray preOutput(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    applyDropOutIfNecessary(training, workspaceMgr);
    int[] size = getSize();
    DnnlUpsampling.Shape shape = new DnnlUpsampling.Shape(input.size(0), input.size(1), input.size(2),
        input.size(3), size[0], size[1]);
    DnnlUpsampling.Kernels kernels = DnnlUpsampling.kernels(shape);
    INDArray out = kernels.newOutput(workspaceMgr);
    kernels.forward(DnnlConvolution.dense(input), out);
    return out;
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
