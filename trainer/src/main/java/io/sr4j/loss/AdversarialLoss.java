package io.sr4j.loss;

import io.sr4j.config.GanConfig;
import io.sr4j.nn.InputGradientGraph;
import io.sr4j.nn.PhaseTimer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The generator's adversarial term: the discriminator D scores the SR batch (and the HR batch, for the relativistic
 * form) and {@link GanLoss#generator} turns the logits into G's loss; its gradient comes back through D, whose own
 * weights are not updated here. The mean of D's SR logits is kept for the discriminator's update of the same step,
 * which needs exactly that value (same weights, same batch) for the relativistic average.
 */
public final class AdversarialLoss implements LossTerm {
  private final String name;
  private final InputGradientGraph d;
  private final GanLoss gan;
  private Double fakeMean;

  public AdversarialLoss(String name, InputGradientGraph d, GanLoss gan) {
    this.name = name;
    this.d = d;
    this.gan = gan;
  }

  static AdversarialLoss build(String name, GanConfig c, LossTerms.Context ctx) {
    if (ctx.discriminator() == null) {
      throw new IllegalStateException("an adversarial loss needs the discriminator");
    }
    return new AdversarialLoss(name, ctx.discriminator(), GanLoss.from(c, ctx.run().relativisticGan()));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public double weight() {
    return gan.weight();
  }

  /** The criteria, which the discriminator's update uses too. */
  public GanLoss gan() {
    return gan;
  }

  /** The discriminator this term reads. */
  public InputGradientGraph discriminator() {
    return d;
  }

  @Override
  public LossResult compute(INDArray sr, INDArray hr) {
    long t = PhaseTimer.start();
    INDArray real = d.output(true, hr)[0].dup(); // a constant for G
    PhaseTimer.stop("G step: D forward (HR)", t);
    t = PhaseTimer.start();
    INDArray fake = d.forwardTrain(sr)[0];
    PhaseTimer.stop("G step: D forward (SR)", t);
    LossResult adv = gan.generator(real, fake);
    fakeMean = fake.meanNumber().doubleValue();
    t = PhaseTimer.start();
    INDArray dSr = d.inputGradients(adv.gradient())[0]; // frozen: D's parameter gradients are not computed
    PhaseTimer.stop("G step: D backward (to SR)", t);
    return new LossResult(adv.value(), dSr);
  }

  /** The mean SR logit of the last {@link #compute}, once (null when compute has not run since the last call). */
  public Double takeFakeMean() {
    Double m = fakeMean;
    fakeMean = null;
    return m;
  }
}
