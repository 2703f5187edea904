package io.sr4j.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code val}: validate every {@code val_freq} iterations on {@code datasets.val} with the given metrics (names are
 * free, e.g. psnr and psnr_rgb); {@code save_img} keeps the first {@code num_save_img} images of each set (SR, with
 * bicubic and HR once). {@code best_metric} ({@code <set>_<metric>}, e.g. Set14_niqe) decides which checkpoint is
 * the best, in its metric's {@code better} direction; by default the first PSNR metric of the first set (else its
 * first metric).
 */
public record ValSection(Long valFreq, Boolean saveImg, Integer numSaveImg, Map<String, MetricConfig> metrics,
    String bestMetric) {
  public ValSection {
    valFreq = Check.longAtLeast("val_freq", valFreq, 1, 1000);
    saveImg = saveImg == null || saveImg;
    numSaveImg = Check.intAtLeast("num_save_img", numSaveImg, 0, 3);
    metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
  }

  public static ValSection defaults() {
    Map<String, MetricConfig> m = new LinkedHashMap<>();
    m.put("psnr", new MetricConfig(MetricConfig.PSNR, null, true, null, null, null));
    m.put("ssim", new MetricConfig(MetricConfig.SSIM, null, true, null, null, null));
    return new ValSection(null, null, null, m, null);
  }
}
