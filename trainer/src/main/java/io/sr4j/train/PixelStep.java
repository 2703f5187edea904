package io.sr4j.train;

import io.sr4j.data.train.PatchBatch;
import io.sr4j.loss.LossResult;
import io.sr4j.loss.PixelLoss;
import io.sr4j.nn.InputGradientGraph;
import io.sr4j.nn.MemoryReclaim;
import java.util.Map;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One optimisation step of a PSNR-oriented generator: forward the LR batch, pixel loss against the HR batch
 * (centre-cropped to the output when a valid-padding network shrinks its input), backprop the loss gradient,
 * apply the optimizer, update the EMA.
 */
public final class PixelStep implements TrainingStep {
  private final InputGradientGraph g;
  private final PixelLoss loss;
  private final Ema ema;

  public PixelStep(InputGradientGraph g, PixelLoss loss, Ema ema) {
    this.g = g;
    this.loss = loss;
    this.ema = ema;
  }

  /** Runs the step for completed-iteration count {@code iteration}. */
  @Override
  public Map<String, Double> run(PatchBatch batch, long iteration, long epoch) {
    INDArray lr = lrArray(batch);
    INDArray hr = hrArray(batch);
    INDArray sr = g.forwardTrain(lr)[0]; // [N, C, H*s, W*s] (smaller for valid padding)
    LossResult l = loss.compute(sr, centreCrop(hr, sr.size(2), sr.size(3)));
    if (!Double.isFinite(l.value())) {
      throw new NonFiniteLossException(iteration + 1, l.value());
    }
    Gradient grad = g.backpropGradient(l.gradient());
    apply(g, grad, iteration, epoch);
    if (ema != null) {
      ema.update(g);
    }
    MemoryReclaim.afterStep();
    return Map.of("l_pix", l.value());
  }

  /** The LR patches as [N, C, h, w]. */
  static INDArray lrArray(PatchBatch b) {
    return Nd4j.create(b.lr(), new long[] {b.n(), b.channels(), b.lrHeight(), b.lrWidth()}, 'c');
  }

  /** The HR patches as [N, C, H, W]. */
  static INDArray hrArray(PatchBatch b) {
    return Nd4j.create(b.hr(), new long[] {b.n(), b.channels(), b.hrHeight(), b.hrWidth()}, 'c');
  }

  /** The optimizer update of a gradient of mean-reduced losses (DL4J's updater must not divide by the batch again). */
  static void apply(InputGradientGraph net, Gradient grad, long iteration, long epoch) {
    net.getUpdater().update(grad, (int) iteration, (int) epoch, 1, LayerWorkspaceMgr.noWorkspaces());
    net.params().subi(grad.gradient());
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
