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
 * The discriminator's update in a GAN step (the SR batch detached from G), as BasicSR backpropagates it: D(hr) with
 * the real half of the loss, then D(sr) with the fake half, both parameter gradients summed, then D's optimizer.
 * The relativistic form needs the mean of D(sr) before D(hr)'s loss. When the generator's step ran, its adversarial
 * term already computed exactly that and D's training-mode pass on the HR batch (same weights, same batches), which
 * it kept: D then runs three forward passes per step (BasicSR's ESRGANModel runs five), with the same results.
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
    Double fromGenerator = generatorTerm.takeFakeMean();
    AdversarialLoss.RealForward kept = generatorTerm.takeRealForward();
    long t = PhaseTimer.start();
    double fakeMean = !gan.relativistic() ? 0
        : fromGenerator != null ? fromGenerator : d.output(true, fake)[0].meanNumber().doubleValue();
    InputGradientGraph realGraph = kept != null ? kept.graph() : d;
    INDArray realLogits = kept != null ? kept.logits() : d.forwardTrain(hr)[0];
    double realMean = realLogits.meanNumber().doubleValue();
    if (kept == null) {
      PhaseTimer.stop("D step: D forward (HR)", t);
    }
    t = PhaseTimer.start();
    LossResult lReal = gan.discriminatorReal(realLogits, fakeMean);
    INDArray realGrad = realGraph.backpropWithInputGradients(lReal.gradient()).parameters().gradient();
    if (realGraph == d) {
      realGrad = realGrad.dup(); // d's gradient buffer is overwritten by the fake half's backward pass
    }
    PhaseTimer.stop("D step: D backward (HR)", t);
    t = PhaseTimer.start();
    INDArray fakeLogits = d.forwardTrain(fake)[0];
    double fakeOut = fakeLogits.meanNumber().doubleValue();
    PhaseTimer.stop("D step: D forward (SR)", t);
    t = PhaseTimer.start();
    LossResult lFake = gan.discriminatorFake(fakeLogits, realMean);
    Gradient dGrad = d.backpropWithInputGradients(lFake.gradient()).parameters();
    dGrad.gradient().addi(realGrad);
    PhaseTimer.stop("D step: D backward (SR)", t);
    Map<String, Double> losses = new LinkedHashMap<>();
    losses.put("l_d_real", lReal.value());
    losses.put("l_d_fake", lFake.value());
    losses.put("out_d_real", realMean);
    losses.put("out_d_fake", fakeOut);
    TrainStep.checkFinite(losses, iteration);
    t = PhaseTimer.start();
    ParameterUpdate.apply(d, dGrad, iteration, epoch);
    PhaseTimer.stop("D optimizer", t);
    return losses;
  }
}
