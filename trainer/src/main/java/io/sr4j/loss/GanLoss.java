package io.sr4j.loss;

import io.sr4j.config.GanConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adversarial losses on discriminator logits ([N, 1]), as BasicSR's {@code GANLoss} and ESRGAN's relativistic
 * average GAN compute them, each with its analytic gradient.
 *
 * <p>Criteria on logits x against a label t: vanilla {@code mean(softplus(x) - t x)} (sigmoid cross-entropy),
 * lsgan {@code mean((x - t)^2)}, hinge (discriminator: {@code mean(relu(1 - x))} on real, {@code mean(relu(1 + x))}
 * on fake; generator: {@code -mean(x)}). Standard: D minimises {@code c(real, 1) + c(fake, 0)}, G minimises
 * {@code w c(fake, 1)}. Relativistic average: D minimises {@code (c(real - mean(fake), 1) + c(fake - mean(real), 0)) / 2}
 * with the other kind's mean held constant (each half backpropagated on its own, as BasicSR does); G minimises {@code w (c(real - mean(fake), 0) + c(fake - mean(real), 1)) / 2}
 * with the real logits constant, so G's gradient also flows through {@code mean(fake)}.
 */
public final class GanLoss {
  private final String type;
  private final boolean relativistic;
  private final double realLabel;
  private final double fakeLabel;
  private final double weight;

  public GanLoss(String type, boolean relativistic, double realLabel, double fakeLabel, double weight) {
    this.type = type;
    this.relativistic = relativistic;
    this.realLabel = realLabel;
    this.fakeLabel = fakeLabel;
    this.weight = weight;
  }

  /** The weight of the generator's adversarial term. */
  public double weight() {
    return weight;
  }

  public boolean relativistic() {
    return relativistic;
  }

  public static GanLoss from(GanConfig c, boolean relativistic) {
    return new GanLoss(c.ganType(), relativistic, c.realLabelVal(), c.fakeLabelVal(), c.lossWeight());
  }

  /** A criterion value and its gradient with respect to its input. */
  private record Term(double value, INDArray grad) {}

  /** c(x, target) and dc/dx; {@code discriminatorSide} selects the hinge form. */
  private Term criterion(INDArray x, boolean real, boolean discriminatorSide) {
    double n = x.length();
    switch (type) {
      case "lsgan" -> {
        INDArray d = x.sub(real ? realLabel : fakeLabel);
        double v = d.mul(d).sumNumber().doubleValue() / n;
        return new Term(v, d.muli(2 / n));
      }
      case "hinge" -> {
        if (!discriminatorSide) {
          // generator: -mean(x) whatever the side
          return new Term(-x.sumNumber().doubleValue() / n, x.like().assign(-1 / n));
        }
        // real: relu(1 - x), fake: relu(1 + x)
        INDArray m = real ? x.rsub(1) : x.add(1);
        INDArray active = m.gt(0).castTo(x.dataType());
        double v = Transforms.relu(m, true).sumNumber().doubleValue() / n;
        return new Term(v, active.muli(real ? -1 / n : 1 / n));
      }
      default -> {
        double t = real ? realLabel : fakeLabel;
        // softplus(x) - t x = max(x, 0) + log(1 + exp(-|x|)) - t x; derivative sigmoid(x) - t
        INDArray sp = Transforms.relu(x, true).addi(Transforms.log(Transforms.exp(Transforms.abs(x, true).negi(), false).addi(1), false));
        double v = sp.subi(x.mul(t)).sumNumber().doubleValue() / n;
        return new Term(v, Transforms.sigmoid(x, true).subi(t).divi(n));
      }
    }
  }

  /**
   * D's loss on its real logits (BasicSR backpropagates the real and the fake half separately): {@code c(real, 1)},
   * or relativistic {@code c(real - fakeMean, 1) / 2} with the fake logits' mean a constant.
   */
  public LossResult discriminatorReal(INDArray real, double fakeMean) {
    return discriminatorHalf(real, fakeMean, true);
  }

  /** D's loss on its fake logits: {@code c(fake, 0)}, or relativistic {@code c(fake - realMean, 0) / 2}. */
  public LossResult discriminatorFake(INDArray fake, double realMean) {
    return discriminatorHalf(fake, realMean, false);
  }

  private LossResult discriminatorHalf(INDArray logits, double otherMean, boolean real) {
    if (!relativistic) {
      Term t = criterion(logits, real, true);
      return new LossResult(t.value(), t.grad());
    }
    Term t = criterion(logits.sub(otherMean), real, true);
    return new LossResult(0.5 * t.value(), t.grad().muli(0.5));
  }

  /** G's weighted adversarial loss and its gradient with respect to the fake logits (real logits are constants). */
  public LossResult generator(INDArray real, INDArray fake) {
    if (!relativistic) {
      Term f = criterion(fake, true, false);
      return new LossResult(weight * f.value(), f.grad().muli(weight));
    }
    double n = fake.length();
    Term r = criterion(real.sub(fake.meanNumber()), false, false);
    Term f = criterion(fake.sub(real.meanNumber()), true, false);
    // d/dfake_j of c(real_i - mean(fake)) summed over i: -(1/n) * sum_i c'_i
    INDArray grad = f.grad().addi(-r.grad().sumNumber().doubleValue() / n).muli(0.5 * weight);
    return new LossResult(0.5 * weight * (r.value() + f.value()), grad);
  }
}
