package io.sr4j.eval;

import io.sr4j.config.MetricConfig;
import io.sr4j.data.BadInputException;
import io.sr4j.data.metrics.FidelityProtocol;
import io.sr4j.data.metrics.MetricChannel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Metrics from a config's {@code val.metrics} entries or from the names the command line takes. */
public final class Metrics {
  /** The names {@link #named} knows. */
  public static final List<String> NAMES = List.of("psnr", "ssim", "niqe", "lpips", "lpips_alex", "psnr_shift",
      "sharpness");

  private Metrics() {}

  /** The metric of one {@code val.metrics} entry named {@code key}, for SR factor {@code scale}. */
  public static Metric from(String key, MetricConfig c, int scale) {
    int border = c.cropBorder() == null ? scale : c.cropBorder();
    FidelityProtocol protocol = new FidelityProtocol(c.testYChannel() ? MetricChannel.Y : MetricChannel.RGB, border);
    return switch (c.type()) {
      case MetricConfig.NIQE -> new NiqeMetric(key, border);
      case MetricConfig.LPIPS -> LpipsMetric.fromZoo(key, c.net().equals("alex") ? Lpips.Network.ALEX
          : Lpips.Network.VGG, border);
      case MetricConfig.PSNR_SHIFT -> new ShiftTolerantPsnrMetric(key, protocol, c.maxShift());
      case MetricConfig.SHARPNESS -> new SharpnessMetric(key, protocol);
      default -> new FidelityMetric(key, protocol, c.type().equals(MetricConfig.PSNR));
    };
  }

  /** Every entry of {@code val.metrics}, in order. */
  public static Map<String, Metric> from(Map<String, MetricConfig> configs, int scale) {
    Map<String, Metric> out = new LinkedHashMap<>();
    configs.forEach((k, c) -> out.put(k, from(k, c, scale)));
    return out;
  }

  /**
   * Metrics by name (psnr, ssim, niqe, lpips (VGG), lpips_alex, psnr_shift, sharpness) on {@code channel} with
   * {@code borderPx} cropped (LPIPS compares RGB whatever the channel);
   * psnr_shift allows shifts of up to {@code maxShiftPx}.
   */
  public static Map<String, Metric> named(List<String> names, MetricChannel channel, int borderPx, int maxShiftPx) {
    Map<String, Metric> out = new LinkedHashMap<>();
    FidelityProtocol protocol = new FidelityProtocol(channel, borderPx);
    for (String n : names) {
      out.put(n, switch (n) {
        case "psnr" -> new FidelityMetric(n, protocol, true);
        case "ssim" -> new FidelityMetric(n, protocol, false);
        case "niqe" -> new NiqeMetric(n, borderPx);
        case "lpips" -> LpipsMetric.fromZoo(n, Lpips.Network.VGG, borderPx);
        case "lpips_alex" -> LpipsMetric.fromZoo(n, Lpips.Network.ALEX, borderPx);
        case "psnr_shift" -> new ShiftTolerantPsnrMetric(n, protocol, maxShiftPx);
        case "sharpness" -> new SharpnessMetric(n, protocol);
        default -> throw new BadInputException("unknown metric '" + n + "', expected some of " + NAMES);
      });
    }
    return out;
  }

  /** True when every full-reference metric measures the Y channel (the SRCNN luma pipeline then applies). */
  public static boolean allOnY(Map<String, Metric> metrics) {
    return metrics.values().stream()
        .allMatch(m -> !(m instanceof ReferenceMetric r) || r.protocol().channel() == MetricChannel.Y);
  }
}
