package io.sr4j.nn;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.feedforward.PReLU;
import org.deeplearning4j.nn.params.PReLUParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;

/**
 * Runtime of {@link ChannelPReLU}: {@code y = x} where {@code x > 0}, else {@code alpha[c] * x};
 * {@code dx = eps * (x > 0 ? 1 : alpha[c])}, {@code dalpha[c] = sum over n, h, w of eps * min(x, 0)}.
 */
public class ChannelPReLULayer extends PReLU {
  public ChannelPReLULayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  /** [C] view of the slopes. */
  private INDArray slopes() {
    INDArray alpha = getParam(PReLUParamInitializer.WEIGHT_KEY);
    return alpha.reshape(alpha.length());
  }

  /** 1 where x <= 0 (the negative side), else 0. */
  private static INDArray negativeMask(INDArray x) {
    return x.lte(0).castTo(x.dataType());
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
    assertInputSet(false);
    INDArray x = input; // [N, C, H, W]
    INDArray slopeMinusOne = negativeMask(x);
    Broadcast.mul(slopeMinusOne, slopes().sub(1), slopeMinusOne, 1); // mask * (alpha - 1)
    INDArray y = mgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape(), 'c');
    return y.assign(x.mul(slopeMinusOne).addi(x)); // x + mask * (alpha - 1) * x
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
    assertInputSet(true);
    INDArray x = input;
    INDArray mask = negativeMask(x);
    INDArray slope = mask.dup();
    Broadcast.mul(slope, slopes().sub(1), slope, 1);
    INDArray dx = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, x.dataType(), x.shape(), 'c');
    dx.assign(epsilon.mul(slope.addi(1))); // eps * (1 + mask * (alpha - 1))
    INDArray dAlpha = epsilon.mul(x).muli(mask).sum(0, 2, 3); // [C]
    INDArray view = gradientViews.get(PReLUParamInitializer.WEIGHT_KEY);
    view.assign(dAlpha.reshape(view.shape()));
    Gradient g = new DefaultGradient();
    g.setGradientFor(PReLUParamInitializer.WEIGHT_KEY, view, 'c');
    return new Pair<>(g, dx);
  }
}
