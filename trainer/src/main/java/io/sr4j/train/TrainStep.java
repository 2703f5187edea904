package io.sr4j.train;

import io.sr4j.data.train.PatchBatch;
import io.sr4j.loss.LossResult;
import io.sr4j.loss.LossTerm;
import io.sr4j.nn.InputGradientGraph;
import io.sr4j.nn.MemoryReclaim;
import io.sr4j.nn.PhaseTimer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One optimisation step, as BasicSR's SRModel and SRGANModel/ESRGANModel run it:
 * <pre>
 * sr = G(lr); hr centre-cropped to sr (valid-padding networks shrink)
 * G step (always for PSNR training; for GAN training every net_d_iters iterations after net_d_init_iters):
 *   dL/dsr = sum over the loss terms t of t.gradient(sr, hr)   (the adversarial term through the frozen D)
 *   G.backprop(dL/dsr) -> optimizer G -> EMA
 * D step (GAN training only, sr detached): {@link DiscriminatorUpdate}
 * </pre>
 * Losses are returned by BasicSR's names: l_pix for PSNR training, l_g_pix, l_g_percep, l_g_gan and the D step's
 * l_d_real, l_d_fake, out_d_real, out_d_fake for GAN training.
 */
public final class TrainStep {
  private final InputGradientGraph g;
  private final List<LossTerm> terms;
  private final Ema ema;
  private final DiscriminatorUpdate d;
  private final int netDIters;
  private final int netDInitIters;

  /** {@code d} null for PSNR training. */
  public TrainStep(InputGradientGraph g, List<LossTerm> terms, Ema ema, DiscriminatorUpdate d, int netDIters,
      int netDInitIters) {
    this.g = g;
    this.terms = List.copyOf(terms);
    this.ema = ema;
    this.d = d;
    this.netDIters = netDIters;
    this.netDInitIters = netDInitIters;
  }

  /** Runs the step after {@code iteration} completed iterations; returns the named loss values. */
  public Map<String, Double> run(PatchBatch batch, long iteration, long epoch) {
    long t = PhaseTimer.start();
    INDArray sr = g.forwardTrain(lrArray(batch))[0]; // [N, C, H*s, W*s] (smaller for valid padding)
    INDArray hr = centreCrop(hrArray(batch), sr.size(2), sr.size(3));
    PhaseTimer.stop("G forward", t);
    Map<String, Double> losses = new LinkedHashMap<>();
    long done = iteration + 1;
    if (d == null || (done % netDIters == 0 && done > netDInitIters)) {
      INDArray dSr = null;
      for (LossTerm term : terms) {
        t = PhaseTimer.start();
        LossResult l = term.compute(sr, hr, iteration);
        dSr = dSr == null ? l.gradient() : dSr.addi(l.gradient());
        losses.put((d == null ? "l_" : "l_g_") + term.name(), l.value());
        PhaseTimer.stop("loss " + term.name() + " (all)", t);
      }
      checkFinite(losses, iteration);
      t = PhaseTimer.start();
      Gradient grad = g.backpropGradient(dSr);
      PhaseTimer.stop("G backward", t);
      t = PhaseTimer.start();
      ParameterUpdate.apply(g, grad, iteration, epoch);
      PhaseTimer.stop("G optimizer", t);
      if (ema != null) {
        t = PhaseTimer.start();
        ema.update(g);
        PhaseTimer.stop("EMA", t);
      }
    }
    if (d != null) {
      losses.putAll(d.run(sr.dup(), hr, iteration, epoch));
    }
    t = PhaseTimer.start();
    MemoryReclaim.afterStep();
    PhaseTimer.stop("GC", t);
    return losses;
  }

  static void checkFinite(Map<String, Double> losses, long iteration) {
    for (double v : losses.values()) {
      if (!Double.isFinite(v)) {
        throw new NonFiniteLossException(iteration + 1, v);
      }
    }
  }

  /** The LR patches as [N, C, h, w]. */
  static INDArray lrArray(PatchBatch b) {
    return Nd4j.create(b.lr(), new long[] {b.n(), b.channels(), b.lrHeight(), b.lrWidth()}, 'c');
  }

  /** The HR patches as [N, C, H, W]. */
  static INDArray hrArray(PatchBatch b) {
    return Nd4j.create(b.hr(), new long[] {b.n(), b.channels(), b.hrHeight(), b.hrWidth()}, 'c');
  }

  /** The centre {@code h x w} of [N, C, H, W] {@code x} (x itself when it already has that size). */
  static INDArray centreCrop(INDArray x, long h, long w) {
    if (x.size(2) == h && x.size(3) == w) {
      return x;
    }
    long top = (x.size(2) - h) / 2;
    long left = (x.size(3) - w) / 2;
    return x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(top, top + h),
        NDArrayIndex.interval(left, left + w)).dup('c');
  }
}
