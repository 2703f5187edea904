package io.sr4j.nn;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * PyTorch's default initialisation of {@code Conv2d} and {@code Linear} weights ({@code kaiming_uniform_} with
 * a = sqrt(5)): uniform in {@code [-1/sqrt(fanIn), 1/sqrt(fanIn)]}.
 */
public final class TorchDefaultInit implements IWeightInit {
  @Override
  public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
    double bound = 1 / Math.sqrt(fanIn);
    Nd4j.rand(paramView).muli(2 * bound).subi(bound);
    return paramView.reshape(order, shape);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TorchDefaultInit;
  }

  @Override
  public int hashCode() {
    return TorchDefaultInit.class.hashCode();
  }

  @Override
  public String toString() {
    return "TorchDefaultInit";
  }
}
