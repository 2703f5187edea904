package io.sr4j.loss;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Losses that sum a function of the per-element difference {@code d = prediction - target}: L1 {@code |d|}, MSE
 * {@code d^2} and Charbonnier {@code sqrt(d^2 + eps)} (BasicSR's form), averaged ("mean") or summed ("sum"),
 * times the term's weight.
 */
public final class ElementwiseLoss implements LossTerm {
  /** The per-element function. */
  public enum Kind { L1, MSE, CHARBONNIER }

  private final String name;
  private final Kind kind;
  private final boolean mean;
  private final double eps;
  private final double weight;

  public ElementwiseLoss(String name, Kind kind, String reduction, double eps, double weight) {
    this.name = name;
    this.kind = kind;
    this.mean = reduction.equals("mean");
    this.eps = eps;
    this.weight = weight;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public double weight() {
    return weight;
  }

  @Override
  public LossResult compute(INDArray prediction, INDArray target) {
    if (!java.util.Arrays.equals(prediction.shape(), target.shape())) {
      throw new IllegalArgumentException("loss: prediction " + java.util.Arrays.toString(prediction.shape())
          + " and target " + java.util.Arrays.toString(target.shape()) + " differ in shape");
    }
    INDArray d = prediction.sub(target);
    double norm = mean ? d.length() : 1;
    double value;
    INDArray grad;
    switch (kind) {
      case L1 -> {
        value = Transforms.abs(d, true).sumNumber().doubleValue();
        grad = Transforms.sign(d, false);
      }
      case MSE -> {
        value = d.norm2Number().doubleValue();
        value *= value;
        grad = d.muli(2);
      }
      default -> {
        INDArray root = Transforms.sqrt(d.mul(d).addi(eps), false); // sqrt(d^2 + eps)
        value = root.sumNumber().doubleValue();
        grad = d.divi(root);
      }
    }
    return new LossResult(value / norm, grad.divi(norm)).scaled(weight);
  }
}
