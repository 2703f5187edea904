package io.sr4j.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A loss value and its gradient with respect to the prediction (same shape as the prediction). */
public record LossResult(double value, INDArray gradient) {
  /** This result times {@code w} (value and gradient). */
  public LossResult scaled(double w) {
    return w == 1 ? this : new LossResult(value * w, gradient.mul(w));
  }
}
