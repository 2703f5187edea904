package io.sr4j.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sr4j.data.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The per-image values of one validation, {@code validation/iter_<iteration, 8 digits>.json} in the run folder:
 * <pre>
 * {"format": 1, "iteration": 600,
 *  "sets": {"Set5": {"baby": {"psnr": 33.91, "ssim": 0.9112}, "bird": {...}}, "Set14": {...}}}
 * </pre>
 * Sets, images and metrics keep the order of validation; a value that is not finite (NIQE of an image too small
 * for it) is null.
 */
public record ValidationRecord(int format, long iteration, Map<String, Map<String, Map<String, Double>>> sets) {
  public static final int FORMAT = 1;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Where the record of {@code iteration} lives in {@code runDir}. */
  public static Path file(Path runDir, long iteration) {
    return runDir.resolve("validation").resolve(String.format(Locale.ROOT, "iter_%08d.json", iteration));
  }

  /** A record of the current format; non-finite values become null. */
  public static ValidationRecord of(long iteration, Map<String, Map<String, Map<String, Double>>> sets) {
    Map<String, Map<String, Map<String, Double>>> copy = new LinkedHashMap<>();
    sets.forEach((set, images) -> {
      Map<String, Map<String, Double>> imgs = new LinkedHashMap<>();
      images.forEach((image, values) -> {
        Map<String, Double> vals = new LinkedHashMap<>();
        values.forEach((k, v) -> vals.put(k, v != null && Double.isFinite(v) ? v : null));
        imgs.put(image, vals);
      });
      copy.put(set, imgs);
    });
    return new ValidationRecord(FORMAT, iteration, copy);
  }

  /** Writes this record to its file in {@code runDir}, atomically. */
  public void write(Path runDir) {
    try {
      AtomicFiles.writeString(file(runDir, iteration), JSON.writeValueAsString(this) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The record of {@code iteration} in {@code runDir}; null when there is none; IOException when unreadable. */
  static ValidationRecord read(Path runDir, long iteration) throws IOException {
    Path f = file(runDir, iteration);
    if (!Files.isRegularFile(f)) {
      return null;
    }
    if (Files.size(f) > 64L << 20) {
      throw new IOException(f + " is larger than 64 MiB, which no validation record is");
    }
    return JSON.readValue(f.toFile(), ValidationRecord.class);
  }
}
