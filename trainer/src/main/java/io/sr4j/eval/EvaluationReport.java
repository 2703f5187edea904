package io.sr4j.eval;

import io.sr4j.data.metrics.MetricChannel;
import io.sr4j.data.pairs.LrSynthesis;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An evaluation as {@code sr evaluate --json} (and the Spark evaluate job) write it: the model, scale, HR folder, LR
 * folder (null when synthesised), how LR images were made (luma, rgb8, or read), channel, border, metric names, one
 * {@code {name, <metric>: value ...}} object per image and the means.
 */
public record EvaluationReport(String model, int scale, String hr, String lr, String synthesis, String channel,
    int border, List<String> metrics, List<Map<String, Object>> images, Map<String, Double> mean) {

  /** The report of {@code table}; {@code lr} null when LR images were made by {@code synthesis}. */
  public static EvaluationReport of(String model, int scale, String hr, String lr, LrSynthesis synthesis,
      MetricChannel channel, int border, List<String> metrics, Scoring.Table table) {
    return new EvaluationReport(model, scale, hr, lr, lr == null ? synthesis.name().toLowerCase(Locale.ROOT) : "read",
        channel.configName(), border, List.copyOf(metrics), table.images().stream().map(EvaluationReport::flat).toList(),
        table.means());
  }

  private static Map<String, Object> flat(Scoring.ImageScores s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", s.name());
    m.putAll(s.values());
    return m;
  }
}
