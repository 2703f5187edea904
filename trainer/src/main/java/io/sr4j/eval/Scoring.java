package io.sr4j.eval;

import io.sr4j.data.BadInputException;
import io.sr4j.data.image.Image;
import io.sr4j.data.metrics.FidelityProtocol;
import io.sr4j.data.metrics.QualityScore;
import io.sr4j.data.pairs.BundledData;
import io.sr4j.data.pairs.LrSynthesis;
import io.sr4j.data.pairs.PairedFolder;
import io.sr4j.data.pairs.PairedSample;
import io.sr4j.infer.Upscaler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one evaluation path: validation during training, {@code sr evaluate}, the interpolation sweep, the Spark job
 * and every later consumer score an {@link Upscaler} on a paired set with a set of {@link Metric}s here. This is also
 * where the rules that make the numbers comparable with papers live: how LR images are made ({@link #paperSynthesis})
 * and how the upscaler's own resizing reads past image edges in that pipeline ({@link #pipeline}), what an RGB
 * network's output is measured against when the HR image is gray ({@link #reference}), and how the set's score is
 * averaged (the plain mean of the per-image values, as every SR paper reports).
 */
public final class Scoring {
  private Scoring() {}

  /** The scores of one image, by metric name. */
  public record ImageScores(String name, Map<String, Double> values) {}

  /** A set's per-image scores and their means. */
  public record Table(List<ImageScores> images, Map<String, Double> means) {}

  /** Called after each image with its sample, the SR output and its scores. */
  @FunctionalInterface
  public interface Listener {
    void imageDone(PairedSample sample, Image sr, ImageScores scores);
  }

  /**
   * The LR synthesis that reproduces published numbers: the SRCNN release's Y-only pipeline when every full-reference
   * metric measures Y and the model works on luminance, MATLAB bicubic of the 8-bit RGB image otherwise.
   */
  public static LrSynthesis paperSynthesis(Upscaler upscaler, Map<String, Metric> metrics) {
    return Metrics.allOnY(metrics) && upscaler.worksOnLuma() ? LrSynthesis.LUMA : LrSynthesis.RGB8;
  }

  /**
   * The upscaler as the pipeline of {@code synthesis} runs it: its interpolations (bicubic, SRCNN's pre-upsampling,
   * chroma) read past the image edges the way the MATLAB that made those LR images does.
   */
  public static Upscaler pipeline(Upscaler upscaler, LrSynthesis synthesis) {
    return upscaler.withResizeBorder(synthesis.resizeBorder());
  }

  /** A paired set: HR from a folder or bundled set name, LR read from {@code lrDir} or made by {@code synthesis}. */
  public static PairedFolder pairedSet(String hrFolderOrSet, Path lrDir, int scale, LrSynthesis synthesis) {
    Path hr = BundledData.resolveHrFolder(hrFolderOrSet);
    return lrDir == null ? PairedFolder.synthesized(hr, scale, synthesis) : PairedFolder.withLrFolder(hr, lrDir, scale);
  }

  /** What {@code sr} is measured against: RGB networks turn gray inputs into RGB, so a gray HR is taken as RGB too. */
  public static Image reference(Image sr, Image hr) {
    return sr.channels() == 3 && hr.isGray() ? hr.toRgb() : hr;
  }

  /** Upscales and scores one sample ({@code upscaler} already adapted by {@link #pipeline}); {@code listener} gets the SR image. */
  public static ImageScores scoreSample(Upscaler upscaler, PairedSample sample, Map<String, Metric> metrics,
      Listener listener) {
    Image sr = upscaler.upscale(sample.lr());
    Image ref = reference(sr, sample.hr());
    Map<FidelityProtocol, QualityScore> measured = new HashMap<>(); // PSNR and SSIM of one protocol measured once
    Map<String, Double> values = new LinkedHashMap<>();
    for (Map.Entry<String, Metric> m : metrics.entrySet()) {
      double v = m.getValue() instanceof FidelityMetric f
          ? f.pick(measured.computeIfAbsent(f.protocol(), p -> p.measure(sr, ref)))
          : m.getValue().score(sr, ref);
      values.put(m.getKey(), v);
    }
    ImageScores scores = new ImageScores(sample.name(), values);
    listener.imageDone(sample, sr, scores);
    return scores;
  }

  /** Scores every image of {@code set}; the means are plain means over images (NaN if any image's value is NaN). */
  public static Table score(Upscaler upscaler, PairedFolder set, Map<String, Metric> metrics, Listener listener) {
    if (upscaler.scale() != set.scale()) {
      throw new BadInputException("model " + upscaler.name() + " upscales x" + upscaler.scale()
          + " but the set is paired for x" + set.scale());
    }
    Upscaler inPipeline = pipeline(upscaler, set.synthesis());
    List<ImageScores> images = new ArrayList<>(set.size());
    for (int i = 0; i < set.size(); i++) {
      PairedSample sample = set.load(i);
      try {
        images.add(scoreSample(inPipeline, sample, metrics, listener));
      } catch (IllegalArgumentException e) {
        throw new BadInputException(set.hrFile(i) + ": cannot score the SR output (" + e.getMessage() + ")", e);
      }
    }
    return new Table(images, means(images, metrics.keySet()));
  }

  /** The mean of each metric over {@code images}. */
  public static Map<String, Double> means(List<ImageScores> images, Iterable<String> names) {
    Map<String, Double> means = new LinkedHashMap<>();
    for (String n : names) {
      double sum = 0;
      for (ImageScores s : images) {
        sum += s.values().get(n);
      }
      means.put(n, sum / images.size());
    }
    return means;
  }
}
