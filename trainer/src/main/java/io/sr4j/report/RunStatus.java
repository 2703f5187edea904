package io.sr4j.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A run's {@code status.json}, which the trainer rewrites atomically while it runs:
 * <pre>
 * {"format": 1, "state": "running|finished|stopped|failed", "iteration": 1200, "total_iter": 2400,
 *  "started": ISO-8601 UTC, "updated": ISO-8601 UTC, "message": "last log line", "peak_rss_mb": 1510.5,
 *  "best": {"key": "Set5_psnr", "value": 31.70, "iteration": 2400, "higher_is_better": true} or null}
 * </pre>
 * Every field may be missing (null); unknown fields are ignored so that later formats still read.
 */
public record RunStatus(
    Integer format, String state, Long iteration, Long totalIter, String started, String updated, String message,
    Double peakRssMb, Best best) {

  /** The format this reader was written for. */
  public static final int FORMAT = 1;

  /** The validation value that decided the best checkpoint. */
  public record Best(String key, Double value, Long iteration, Boolean higherIsBetter) {}

  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** The status in {@code file}; null when the file does not exist; an IOException when it is not valid JSON. */
  static RunStatus read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    if (Files.size(file) > 1 << 20) {
      throw new IOException("larger than 1 MiB, which no status file is");
    }
    return JSON.readValue(file.toFile(), RunStatus.class);
  }

  /** Wall time from {@code started} to {@code updated}, or null when either is missing or not ISO-8601. */
  Duration wallTime() {
    try {
      return started == null || updated == null ? null : Duration.between(Instant.parse(started), Instant.parse(updated));
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
