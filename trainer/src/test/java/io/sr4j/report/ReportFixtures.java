package io.sr4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.data.pairs.BundledData;
import io.sr4j.data.pairs.LrSynthesis;
import io.sr4j.data.pairs.PairedFolder;
import io.sr4j.data.pairs.PairedSample;
import io.sr4j.data.resize.ResizeKernel;
import io.sr4j.infer.Interpolation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Files of run folders for report tests: written by hand where the trainer does not (yet) write them. */
final class ReportFixtures {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReportFixtures() {}

  /** status.json as the trainer rewrites it. */
  static void status(Path run, String state, long iteration, long total, double peakRssMb, String message)
      throws IOException {
    Files.writeString(run.resolve("status.json"), """
        {"format": 1, "state": "%s", "iteration": %d, "total_iter": %d, "started": "2026-01-02T10:00:00Z",
         "updated": "2026-01-02T10:05:30Z", "message": "%s", "peak_rss_mb": %.1f, "best": null}
        """.formatted(state, iteration, total, message, peakRssMb));
  }

  /**
   * The HR and bicubic references of the first {@code count} images of a bundled set, as
   * {@code visualization/<set>/<image>_hr.png} and {@code _bicubic.png}, unless the trainer wrote them.
   */
  static void references(Path run, String set, int scale, int count) {
    PairedFolder folder = PairedFolder.synthesized(BundledData.resolveHrFolder(set), scale, LrSynthesis.RGB8);
    for (int i = 0; i < count; i++) {
      PairedSample s = folder.load(i);
      Path dir = run.resolve("visualization").resolve(set);
      Path hr = dir.resolve(s.name() + "_hr.png");
      Path bicubic = dir.resolve(s.name() + "_bicubic.png");
      if (!Files.exists(hr)) {
        ImageFiles.write(s.hr(), hr);
      }
      if (!Files.exists(bicubic)) {
        ImageFiles.write(new Interpolation(ResizeKernel.BICUBIC, scale).upscale(s.lr()), bicubic);
      }
    }
  }

  /** A small RGB test image: a gradient with a bright square, so crops show something. */
  static Image pattern(int w, int h, float shift) {
    float[][] planes = new float[3][w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean square = x > w / 3 && x < 2 * w / 3 && y > h / 3 && y < 2 * h / 3;
        planes[0][y * w + x] = square ? 1f : (float) x / w;
        planes[1][y * w + x] = square ? 0.9f : (float) y / h;
        planes[2][y * w + x] = Math.min(1f, shift);
      }
    }
    return Image.of(w, h, planes);
  }

  /** How many values each key has in a metrics.jsonl, read independently of the report code. */
  static Map<String, Integer> valueCounts(Path metricsJsonl) throws IOException {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String line : Files.readAllLines(metricsJsonl)) {
      JsonNode n = JSON.readTree(line);
      n.fieldNames().forEachRemaining(k -> {
        if (!k.equals("iter") && n.get(k).isNumber()) {
          counts.merge(k, 1, Integer::sum);
        }
      });
    }
    return counts;
  }

  /** A line of metrics.jsonl. */
  static String metrics(long iter, Object... keyValues) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("iter", iter);
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return JSON.writeValueAsString(m);
  }

  static void lines(Path file, List<String> lines) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, lines);
  }
}
