package io.sr4j.nn;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * PyTorch {@code kaiming_normal_(w, a=0, mode='fan_in', nonlinearity='relu')} followed by {@code w *= scale}:
 * zero-mean normal with standard deviation {@code scale * sqrt(2 / fanIn)}. ESRGAN initialises its convolutions
 * with scale 0.1. With {@link FastConv2D} (and DL4J's {@code ConvolutionLayer}) fanIn = nIn*kH*kW.
 */
public final class KaimingNormalScaled implements IWeightInit {

  private final double scale;

  /** @param scale multiplier applied to the Kaiming-normal weights (1 = plain Kaiming normal) */
  public KaimingNormalScaled(@JsonProperty("scale") double scale) {
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("KaimingNormalScaled: scale must be finite and > 0, got " + scale);
    }
    this.scale = scale;
  }

  public double getScale() {
    return scale;
  }

  /** Standard deviation used for the given fan-in. */
  public double std(double fanIn) {
    return scale * Math.sqrt(2.0 / fanIn);
  }

  @Override
  public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
    Nd4j.randn(paramView).muli(std(fanIn));
    return paramView.reshape(order, shape);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KaimingNormalScaled && Double.compare(((KaimingNormalScaled) o).scale, scale) == 0;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(scale);
  }

  @Override
  public String toString() {
    return "KaimingNormalScaled(scale=" + scale + ")";
  }
}
