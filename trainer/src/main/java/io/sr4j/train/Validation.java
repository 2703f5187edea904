package io.sr4j.train;

import io.sr4j.config.DatasetConfig;
import io.sr4j.config.MetricConfig;
import io.sr4j.config.ValSection;
import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.data.metrics.FidelityProtocol;
import io.sr4j.data.metrics.MetricChannel;
import io.sr4j.data.metrics.Niqe;
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
 * Validation during training: every configured set is upscaled with the current generator and scored with every
 * configured metric (paper protocol: 8-bit, Y or RGB, border crop; NIQE on Y); the first few SR images are saved.
 * Results are
 * keyed {@code <set>_<metric name>}, e.g. {@code Set5_psnr}.
 */
public final class Validation {
  private final List<DatasetConfig> sets;
  private final ValSection val;
  private final int scale;
  private final Path imageDir;

  public Validation(List<DatasetConfig> sets, ValSection val, int scale, Path imageDir) {
    this.sets = sets;
    this.val = val;
    this.scale = scale;
    this.imageDir = imageDir;
  }

  public boolean isEmpty() {
    return sets.isEmpty() || val.metrics().isEmpty();
  }

  private FidelityProtocol protocol(MetricConfig m) {
    return new FidelityProtocol(m.testYChannel() ? MetricChannel.Y : MetricChannel.RGB,
        m.cropBorder() == null ? scale : m.cropBorder());
  }

  /** Scores {@code model} on every set; {@code iteration} names the saved images. */
  public Map<String, Double> run(Upscaler model, long iteration) {
    Map<String, Double> results = new LinkedHashMap<>();
    boolean allY = val.metrics().values().stream().allMatch(MetricConfig::testYChannel);
    for (DatasetConfig set : sets) {
      Path hr = BundledData.resolveHrFolder(set.datarootGt());
      LrSynthesis how = allY && model.worksOnLuma() ? LrSynthesis.LUMA : LrSynthesis.RGB8;
      PairedFolder folder = set.datarootLq() == null ? PairedFolder.synthesized(hr, scale, how)
          : PairedFolder.withLrFolder(hr, Path.of(set.datarootLq()), scale);
      Upscaler pipeline = model.withResizeBorder(folder.synthesis().resizeBorder());
      Map<String, Double> sums = new LinkedHashMap<>();
      for (int i = 0; i < folder.size(); i++) {
        PairedSample sample = folder.load(i);
        Image sr = pipeline.upscale(sample.lr());
        Image ref = sr.channels() == 3 && sample.hr().isGray() ? sample.hr().toRgb() : sample.hr();
        Map<FidelityProtocol, QualityScore> scored = new HashMap<>();
        for (Map.Entry<String, MetricConfig> m : val.metrics().entrySet()) {
          MetricConfig mc = m.getValue();
          double v;
          if (mc.type().equals(MetricConfig.NIQE)) {
            v = io.sr4j.eval.InterpolationSweep.niqeOrNaN(Niqe.standard(), sr, mc.cropBorder() == null ? scale : mc.cropBorder());
          } else {
            QualityScore q = scored.computeIfAbsent(protocol(mc), p -> p.measure(sr, ref));
            v = mc.type().equals(MetricConfig.PSNR) ? q.psnr() : q.ssim();
          }
          sums.merge(m.getKey(), v, Double::sum);
        }
        if (val.saveImg() && i < val.numSaveImg()) {
          ImageFiles.write(sr, imageDir.resolve(set.name()).resolve(sample.name() + "_" + iteration + ".png"));
        }
      }
      for (Map.Entry<String, Double> s : sums.entrySet()) {
        results.put(set.name() + "_" + s.getKey(), s.getValue() / folder.size());
      }
    }
    return results;
  }

  /** The key whose value decides the "best" checkpoint: the first PSNR metric of the first set. */
  public String bestKey() {
    List<String> psnr = new ArrayList<>();
    for (Map.Entry<String, MetricConfig> m : val.metrics().entrySet()) {
      if (m.getValue().type().equals(MetricConfig.PSNR)) {
        psnr.add(m.getKey());
      }
    }
    String metric = psnr.isEmpty() ? val.metrics().keySet().iterator().next() : psnr.get(0);
    return sets.get(0).name() + "_" + metric;
  }
}
