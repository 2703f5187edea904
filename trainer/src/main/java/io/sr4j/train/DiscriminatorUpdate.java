package io.sr4j.train;

import io.sr4j.loss.AdversarialLoss;
import io.sr4j.loss.GanLoss;
import io.sr4j.loss.LossResult;
import io.sr4j.nn.InputGradientGraph;
import io.sr4j.nn.PhaseTimer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The discriminator's update in a GAN step (the SR batch detached from G), as BasicSR backpropagates it: D(sr) with
 * the fake half of the loss and D(hr) with the real half, both parameter gradients summed, then D's optimizer. The
 * relativistic form needs each side's mean logit for the other side's loss; its passes on the HR batch run in a twin
 * of D that shares its weights, so that both passes can be held at once. When the generator's step ran, its
 * adversarial term already ran both training-mode passes (same weights, same batches) and kept them: its backprop of
 * D(sr) to the SR batch left D's state for this update's backprop. D then runs two forward passes per step (BasicSR's
 * ESRGANModel runs five), with the same results.
 */
public final class DiscriminatorUpdate {
  private final InputGradientGraph d;
  private final GanLoss gan;
  private final AdversarialLoss generatorTerm;

  public DiscriminatorUpdate(AdversarialLoss generatorTerm) {
    this.d = generatorTerm.discriminator();
    this.gan = generatorTerm.gan();
    this.generatorTerm = generatorTerm;
  }

  /** D's update on the detached SR batch {@code fake} and the HR batch; returns D's losses and mean logits. */
  Map<String, Double> run(INDArray fake, INDArray hr, long iteration, long epoch) {
    INDArray fakeLogits = generatorTerm.takeFakeLogits(); // kept passes, or null
    INDArray realLogits = generatorTerm.takeRealLogits();
    InputGradientGraph realGraph = gan.relativistic() ? generatorTerm.realDiscriminator() : d;
    long t = PhaseTimer.start();
    if (fakeLogits == null) {
      fakeLogits = d.forwardTrain(fake)[0];
      PhaseTimer.stop("D step: D forward (SR)", t);
    }
    if (realLogits == null && gan.relativistic()) {
      t = PhaseTimer.start();
      realLogits = realGraph.forwardTrain(hr)[0];
      PhaseTimer.stop("D step: D forward (HR)", t);
    }
    double fakeMean = fakeLogits.meanNumber().doubleValue();
    t = PhaseTimer.start();
    LossResult lFake = gan.discriminatorFake(fakeLogits,
        gan.relativistic() ? realLogits.meanNumber().doubleValue() : 0);
    Gradient fakeGrad = d.backpropWithInputGradients(lFake.gradient()).parameters();
    PhaseTimer.stop("D step: D backward (SR)", t);
    INDArray fakeSum = fakeGrad.gradient();
    if (realLogits == null) { // the vanilla form: D's own pass on the HR batch, after the SR batch's backprop
      fakeSum = fakeSum.dup(); // D's gradient buffer is overwritten by the HR batch's backprop
      t = PhaseTimer.start();
      realLogits = d.forwardTrain(hr)[0];
      PhaseTimer.stop("D step: D forward (HR)", t);
    }
    double realMean = realLogits.meanNumber().doubleValue();
    t = PhaseTimer.start();
    LossResult lReal = gan.discriminatorReal(realLogits, fakeMean);
    Gradient realGrad = realGraph.backpropWithInputGradients(lReal.gradient()).parameters();
    // the sum lands in D's gradient buffer (the HR batch's backprop ran in D's twin, or in D after a copy of the SR
    // batch's gradient); addition of two terms is exact in either order
    Gradient dGrad = realGraph == d ? realGrad : fakeGrad;
    dGrad.gradient().addi(realGraph == d ? fakeSum : realGrad.gradient());
    PhaseTimer.stop("D step: D backward (HR)", t);
    Map<String, Double> losses = new LinkedHashMap<>();
    losses.put("l_d_real", lReal.value());
    losses.put("l_d_fake", lFake.value());
    losses.put("out_d_real", realMean);
    losses.put("out_d_fake", fakeMean);
    TrainStep.checkFinite(losses, iteration);
    t = PhaseTimer.start();
    ParameterUpdate.apply(d, dGrad, iteration, epoch);
    PhaseTimer.stop("D optimizer", t);
    return losses;
  }
}
