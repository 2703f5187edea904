package io.sr4j.loss;

import io.sr4j.nn.MemoryReclaim;
import io.sr4j.nn.PeakMemory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a loss term costs per call (value and gradient) through each route, on float batches of a given shape. Group
 * {@code pixel}: the same Charbonnier loss hand-written ({@link ElementwiseLoss}) and as a SameDiff graph
 * ({@link CharbonnierAutodiff}), next to the other pixel terms and the autodiff-only {@link GradientLoss}. Group
 * {@code cobi}: the CoBi loss with its defaults (VGG-19 relu1_2/relu2_2/relu3_2 with random weights + 2 x RGB 10x10
 * patches, 63^2 positions) with the hand-derived backward and with SameDiff's. The peak resident memory is restarted
 * before each term, so each term's figure is what the process held at most while that term ran.
 */
public final class LossBenchmark {
  /** The groups of terms {@link #run} can time. */
  public static final List<String> GROUPS = List.of("pixel", "cobi");

  private LossBenchmark() {}

  /**
   * Median seconds per call of each term, and the peak resident memory of the process (MB) while each term ran (NaN
   * where Linux /proc cannot restart the peak).
   */
  public record Result(List<Long> shape, int warmup, int iterations, Map<String, Double> medianSeconds,
      Map<String, Double> peakResidentMb) {}

  public static Result run(long[] shape, int warmup, int iterations, List<String> groups) {
    Nd4j.getRandom().setSeed(1);
    INDArray sr = Nd4j.rand(DataType.FLOAT, shape);
    INDArray hr = Nd4j.rand(DataType.FLOAT, shape);
    Map<String, LossTerm> terms = new LinkedHashMap<>();
    if (groups.contains("pixel")) {
      terms.put("Charbonnier, hand-written gradient", new ElementwiseLoss("pix", ElementwiseLoss.Kind.CHARBONNIER, "mean", 1e-12, 1));
      terms.put("Charbonnier, SameDiff autodiff", new CharbonnierAutodiff("pix", 1e-12, 1));
      terms.put("L1, hand-written", new ElementwiseLoss("pix", ElementwiseLoss.Kind.L1, "mean", 0, 1));
      terms.put("SSIM, hand-written", new SsimLoss("ssim", 1));
      terms.put("GradientLoss, SameDiff autodiff", new GradientLoss("gradient", new GradientLoss.Config(null, 1.0), null));
    }
    if (groups.contains("cobi")) {
      terms.put("CoBi defaults, hand-written backward", cobi("analytic"));
      terms.put("CoBi defaults, SameDiff autodiff", cobi("autodiff"));
    }
    Map<String, Double> medians = new LinkedHashMap<>();
    Map<String, Double> peaks = new LinkedHashMap<>();
    for (Map.Entry<String, LossTerm> t : terms.entrySet()) {
      MemoryReclaim.afterStep();
      boolean peakRestarted = PeakMemory.resetPeak();
      for (int i = 0; i < warmup; i++) {
        t.getValue().compute(sr, hr);
      }
      double[] seconds = new double[iterations];
      for (int i = 0; i < iterations; i++) {
        long t0 = System.nanoTime();
        t.getValue().compute(sr, hr).gradient().getFloat(0); // the result is materialised
        seconds[i] = (System.nanoTime() - t0) / 1e9;
        MemoryReclaim.afterStep(); // as the training step does: off-heap arrays of a call go before the next one
      }
      Arrays.sort(seconds);
      medians.put(t.getKey(), seconds[iterations / 2]);
      peaks.put(t.getKey(), peakRestarted ? PeakMemory.residentMb() : Double.NaN);
    }
    List<Long> s = new ArrayList<>();
    for (long d : shape) {
      s.add(d);
    }
    return new Result(s, warmup, iterations, medians, peaks);
  }

  /** CoBi with its defaults on random VGG-19 features, with the given backward route. */
  private static ContextualLoss cobi(String backward) {
    ContextualLoss.Config c = new ContextualLoss.Config(ContextualLoss.COBI, null, null, null, null, null, null, null,
        null, null, null, null, null, true, backward);
    return new ContextualLoss("cobi", c, PerceptualLoss.featureNetwork(null, List.copyOf(c.layerWeights().keySet()),
        true, 0, "cobi"), 0);
  }
}
