package io.sr4j.train;

import io.sr4j.config.DatasetConfig;
import io.sr4j.config.MetricConfig;
import io.sr4j.config.ValSection;
import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.data.pairs.LrSynthesis;
import io.sr4j.data.pairs.PairedFolder;
import io.sr4j.data.pairs.PairedSample;
import io.sr4j.data.resize.ResizeKernel;
import io.sr4j.eval.Metric;
import io.sr4j.eval.Metrics;
import io.sr4j.eval.Scoring;
import io.sr4j.infer.Interpolation;
import io.sr4j.infer.Upscaler;
import io.sr4j.report.ValidationRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * Validation during training: every configured set is scored with the configured metrics through
 * {@link Scoring} (the same path as {@code sr evaluate}); results are keyed {@code <set>_<metric name>}, e.g.
 * {@code Set5_psnr}; every image's values go to {@code validation/iter_<iteration, 8 digits>.json}
 * ({@link ValidationRecord}). The first {@code num_save_img} images of each set are saved in colour, as
 * {@code sr upscale} makes them, as {@code visualization/<set>/<image>_<iteration, 8 digits>.png}, next to
 * {@code <image>_bicubic.png} and {@code <image>_hr.png} (written once), so that samples sort by iteration and compare
 * at a glance.
 */
public final class Validation {
  private final List<DatasetConfig> sets;
  private final ValSection val;
  private final int scale;
  private final Path runDir;
  private final Path imageDir;
  private final Map<String, Metric> metrics;

  public Validation(List<DatasetConfig> sets, ValSection val, int scale, Path runDir) {
    this.sets = sets;
    this.val = val;
    this.scale = scale;
    this.runDir = runDir;
    this.imageDir = runDir.resolve("visualization");
    this.metrics = Metrics.from(val.metrics(), scale);
  }

  public boolean isEmpty() {
    return sets.isEmpty() || val.metrics().isEmpty();
  }

  /** Scores {@code model} on every set; {@code iteration} names the saved images. */
  public Map<String, Double> run(Upscaler model, long iteration) {
    Map<String, Double> results = new LinkedHashMap<>();
    Map<String, Map<String, Map<String, Double>>> perImage = new LinkedHashMap<>(); // set -> image -> metric -> value
    for (DatasetConfig set : sets) {
      PairedFolder folder = Scoring.pairedSet(set.datarootGt(), set.datarootLq() == null ? null : Path.of(set.datarootLq()),
          scale, Scoring.paperSynthesis(model, metrics));
      Path dir = imageDir.resolve(set.name());
      Scoring.Table table = Scoring.score(model, folder, metrics, (sample, sr, scores) -> {
        if (val.saveImg() && folder.names().indexOf(sample.name()) < val.numSaveImg()) {
          saveSamples(model, folder, sample, sr, dir, iteration);
        }
      });
      table.means().forEach((k, v) -> results.put(set.name() + "_" + k, v));
      Map<String, Map<String, Double>> images = new LinkedHashMap<>();
      table.images().forEach(s -> images.put(s.name(), s.values()));
      perImage.put(set.name(), images);
    }
    ValidationRecord.of(iteration, perImage).write(runDir);
    return results;
  }

  /** The SR image in colour (a Y-only pipeline upscales the RGB image again) and, once, bicubic and HR. */
  private void saveSamples(Upscaler model, PairedFolder folder, PairedSample sample, Image sr, Path dir, long iteration) {
    PairedSample colour = sample;
    if (folder.synthesis() == LrSynthesis.LUMA && !folder.hasLrFolder()) {
      Path hr = folder.hrFile(folder.names().indexOf(sample.name()));
      colour = PairedFolder.synthesize(sample.name(), ImageFiles.read(hr), scale, LrSynthesis.RGB8, hr);
    }
    Image srColour = colour == sample ? sr : model.upscale(colour.lr());
    ImageFiles.write(srColour, dir.resolve(String.format(Locale.ROOT, "%s_%08d.png", sample.name(), iteration)));
    Path bicubic = dir.resolve(sample.name() + "_bicubic.png");
    if (!Files.exists(bicubic)) {
      ImageFiles.write(new Interpolation(ResizeKernel.BICUBIC, scale).upscale(colour.lr()), bicubic);
      ImageFiles.write(colour.hr(), dir.resolve(sample.name() + "_hr.png"));
    }
  }

  /** The key whose value decides the "best" checkpoint: val.best_metric, else the first PSNR of the first set. */
  public String bestKey() {
    if (val.bestMetric() != null) {
      return val.bestMetric();
    }
    String metric = val.metrics().keySet().iterator().next();
    for (Map.Entry<String, MetricConfig> m : val.metrics().entrySet()) {
      if (m.getValue().type().equals(MetricConfig.PSNR)) {
        metric = m.getKey();
        break;
      }
    }
    return sets.get(0).name() + "_" + metric;
  }

  /** Whether a higher value of {@code key} ({@code <set>_<metric>}) is an improvement. */
  public boolean higherIsBetter(String key) {
    for (Map.Entry<String, Metric> m : metrics.entrySet()) {
      if (key.endsWith("_" + m.getKey())) {
        return m.getValue().higherIsBetter();
      }
    }
    throw new IllegalArgumentException("no metric for " + key);
  }
}
