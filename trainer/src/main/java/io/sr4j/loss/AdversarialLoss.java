package io.sr4j.loss;

import io.sr4j.config.GanConfig;
import io.sr4j.nn.Graphs;
import io.sr4j.nn.InputGradientGraph;
import io.sr4j.nn.PhaseTimer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The generator's adversarial term: the discriminator D scores the SR batch (and the HR batch, for the relativistic
 * form) and {@link GanLoss#generator} turns the logits into G's loss; its gradient comes back through D, whose own
 * weights are not updated here. What the discriminator's update of the same step needs again (same weights, same
 * batches) is kept for it: the mean of D's SR logits, and for the relativistic form D's training-mode forward pass on
 * the HR batch, run in a twin of D that shares its weights ({@code Graphs.trainingTwin}) so that D's pass on the SR
 * batch does not overwrite it.
 */
public final class AdversarialLoss implements LossTerm {
  private final String name;
  private final InputGradientGraph d;
  private final GanLoss gan;
  /** D's twin for the HR batch (relativistic form only, else null). */
  private final InputGradientGraph realD;
  private Double fakeMean;
  private RealForward realForward;

  /**
   * D's training-mode forward pass on the HR batch: {@code graph} holds its layer state for a backward pass,
   * {@code logits} are its outputs [N, 1].
   */
  public record RealForward(InputGradientGraph graph, INDArray logits) {
  }

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

  @Override
  public LossResult compute(INDArray sr, INDArray hr) {
    INDArray real = null; // the vanilla form does not read D(hr)
    realForward = null;
    long t = PhaseTimer.start();
    if (realD != null) {
      real = realD.forwardTrain(hr)[0]; // a constant for G; the pass is kept for D's update
      realForward = new RealForward(realD, real);
      PhaseTimer.stop("G step: D forward (HR)", t);
    }
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

  /**
   * D's forward pass on the HR batch from the last {@link #compute}, once (null for the vanilla form or when compute
   * has not run since the last call). Valid until D's weights change.
   */
  public RealForward takeRealForward() {
    RealForward r = realForward;
    realForward = null;
    return r;
  }

  /** The mean SR logit of the last {@link #compute}, once (null when compute has not run since the last call). */
  public Double takeFakeMean() {
    Double m = fakeMean;
    fakeMean = null;
    return m;
  }
}
