package io.sr4j.train;

import io.sr4j.data.train.PatchBatch;
import io.sr4j.loss.GanLoss;
import io.sr4j.loss.LossResult;
import io.sr4j.loss.PerceptualLoss;
import io.sr4j.loss.PixelLoss;
import io.sr4j.nn.InputGradientGraph;
import io.sr4j.nn.MemoryReclaim;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One step of SRGAN/ESRGAN training, as BasicSR's SRGANModel/ESRGANModel run it:
 * <pre>
 * sr = G(lr)
 * G step (every net_d_iters, after net_d_init_iters; D's weights are not updated here):
 *   dsr = w_pix dL_pix/dsr + dL_percep/dsr (back through VGG) + w_adv dL_adv/dsr (back through D)
 *   G.backprop(dsr) -> optimizer G -> EMA
 * D step (sr detached):
 *   [relativistic: mean of D(sr)] ; D(hr) -> dL_real -> grads ; D(sr) -> dL_fake -> grads += ; optimizer D
 * </pre>
 */
public final class GanStep implements TrainingStep {
  private final InputGradientGraph g;
  private final InputGradientGraph d;
  private final PixelLoss pixel;
  private final PerceptualLoss perceptual;
  private final GanLoss gan;
  private final Ema ema;
  private final int netDIters;
  private final int netDInitIters;
  private final boolean relativistic;

  public GanStep(InputGradientGraph g, InputGradientGraph d, PixelLoss pixel, PerceptualLoss perceptual, GanLoss gan,
      boolean relativistic, Ema ema, int netDIters, int netDInitIters) {
    this.g = g;
    this.d = d;
    this.pixel = pixel;
    this.perceptual = perceptual;
    this.gan = gan;
    this.relativistic = relativistic;
    this.ema = ema;
    this.netDIters = netDIters;
    this.netDInitIters = netDInitIters;
  }

  @Override
  public Map<String, Double> run(PatchBatch batch, long iteration, long epoch) {
    INDArray lr = PixelStep.lrArray(batch);
    INDArray hr = PixelStep.hrArray(batch);
    INDArray sr = g.forwardTrain(lr)[0]; // [N, 3, H, W]
    Map<String, Double> losses = new LinkedHashMap<>();
    long done = iteration + 1;
    if (done % netDIters == 0 && done > netDInitIters) {
      INDArray dSr = sr.like(); // zeros
      if (pixel != null) {
        LossResult l = pixel.compute(sr, hr);
        dSr.addi(l.gradient());
        losses.put("l_g_pix", l.value());
      }
      if (perceptual != null) {
        LossResult l = perceptual.compute(sr, hr);
        dSr.addi(l.gradient());
        losses.put("l_g_percep", l.value());
      }
      INDArray real = d.output(true, hr)[0].dup(); // a constant for G
      INDArray fake = d.forwardTrain(sr)[0];
      LossResult adv = gan.generator(real, fake);
      dSr.addi(d.backpropWithInputGradients(adv.gradient()).inputs()[0]); // D's parameter gradients are dropped
      losses.put("l_g_gan", adv.value());
      checkFinite(losses, iteration);
      Gradient grad = g.backpropGradient(dSr);
      PixelStep.apply(g, grad, iteration, epoch);
      if (ema != null) {
        ema.update(g);
      }
    }
    INDArray fakeInput = sr.dup(); // detached from G
    double fakeMean = relativistic ? d.output(true, fakeInput)[0].meanNumber().doubleValue() : 0;
    INDArray realLogits = d.forwardTrain(hr)[0];
    double realMean = realLogits.meanNumber().doubleValue();
    LossResult lReal = gan.discriminatorReal(realLogits, fakeMean);
    INDArray realGrad = d.backpropWithInputGradients(lReal.gradient()).parameters().gradient().dup();
    INDArray fakeLogits = d.forwardTrain(fakeInput)[0];
    double fakeOut = fakeLogits.meanNumber().doubleValue();
    LossResult lFake = gan.discriminatorFake(fakeLogits, realMean);
    Gradient dGrad = d.backpropWithInputGradients(lFake.gradient()).parameters();
    dGrad.gradient().addi(realGrad);
    losses.put("l_d_real", lReal.value());
    losses.put("l_d_fake", lFake.value());
    losses.put("out_d_real", realMean);
    losses.put("out_d_fake", fakeOut);
    checkFinite(losses, iteration);
    PixelStep.apply(d, dGrad, iteration, epoch);
    MemoryReclaim.afterStep();
    return losses;
  }

  private static void checkFinite(Map<String, Double> losses, long iteration) {
    for (double v : losses.values()) {
      if (!Double.isFinite(v)) {
        throw new NonFiniteLossException(iteration + 1, v);
      }
    }
  }
}
