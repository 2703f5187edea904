package io.sr4j.loss;

import io.sr4j.config.GanConfig;
import io.sr4j.nn.Graphs;
import io.sr4j.nn.InputGradientGraph;
import io.sr4j.nn.PhaseTimer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The generator's adversarial term: the discriminator D scores the SR batch (and the HR batch, for the relativistic
 * form) and {@link GanLoss#generator} turns the logits into G's loss; its gradient comes back through D, whose own
 * weights are not updated here. D's training-mode passes are kept for the discriminator's update of the same step,
 * which needs them again (same weights, same batches): the pass on the SR batch (its backprop to the SR batch leaves
 * D's state for the update's backprop) and, for the relativistic form, the pass on the HR batch, run in a twin of D
 * that shares its weights ({@code Graphs.trainingTwin}) so that D's pass on the SR batch does not overwrite it.
 */
public final class AdversarialLoss implements LossTerm {
  private final String name;
  private final InputGradientGraph d;
  private final GanLoss gan;
  /** D's twin for the HR batch (relativistic form only, else null). */
  private final InputGradientGraph realD;
  /** D's logits [N, 1] of its kept pass on the SR batch (D holds the pass's state), or null. */
  private INDArray fakeLogits;
  /** The twin's logits [N, 1] of its kept pass on the HR batch (the twin holds the pass's state), or null. */
  private INDArray realLogits;

  public AdversarialLoss(String name, InputGradientGraph d, GanLoss gan) {
    this.name = name;
    this.d = d;
    this.gan = gan;
    this.realD = gan.relativistic() ? Graphs.trainingTwin(d) : null;
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

  /** D's twin for passes on the HR batch (shares D's weights; relativistic form only, else null). */
  public InputGradientGraph realDiscriminator() {
    return realD;
  }

  @Override
  public LossResult compute(INDArray sr, INDArray hr) {
    INDArray real = null; // the vanilla form does not read D(hr)
    realLogits = null;
    fakeLogits = null;
    long t = PhaseTimer.start();
    if (realD != null) {
      real = realD.forwardTrain(hr)[0]; // a constant for G; the pass is kept for D's update
      realLogits = real;
      PhaseTimer.stop("G step: D forward (HR)", t);
    }
    t = PhaseTimer.start();
    INDArray fake = d.forwardTrain(sr)[0];
    PhaseTimer.stop("G step: D forward (SR)", t);
    LossResult adv = gan.generator(real, fake);
    t = PhaseTimer.start();
    // frozen: D's parameter gradients are not computed; D's state stays for the update's backprop of this pass
    INDArray dSr = d.inputGradientsKeepingState(adv.gradient())[0];
    fakeLogits = fake;
    PhaseTimer.stop("G step: D backward (to SR)", t);
    return new LossResult(adv.value(), dSr);
  }

  /**
   * The logits of the twin's pass on the HR batch from the last {@link #compute}, whose state the twin holds for a
   * backprop, once (null for the vanilla form or when compute has not run since the last call). Valid until D's
   * weights change or the twin runs another pass.
   */
  public INDArray takeRealLogits() {
    INDArray r = realLogits;
    realLogits = null;
    return r;
  }

  /**
   * The logits of D's pass on the SR batch from the last {@link #compute}, whose state D holds for a backprop, once
   * (null when compute has not run since the last call). Valid until D's weights change or D runs another pass.
   */
  public INDArray takeFakeLogits() {
    INDArray f = fakeLogits;
    fakeLogits = null;
    return f;
  }
}
