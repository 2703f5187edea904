package io.sr4j.ablate;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sr4j.data.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The validation history of a run, read from its {@code metrics.jsonl}: key -> (iteration -> value). */
record RunMetrics(Map<String, TreeMap<Long, Double>> series) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The values of {@code keys} in {@code runDir/metrics.jsonl} (empty when the run has not written any). */
  static RunMetrics read(Path runDir, Collection<String> keys) {
    Map<String, TreeMap<Long, Double>> out = new LinkedHashMap<>();
    keys.forEach(k -> out.put(k, new TreeMap<>()));
    Path file = runDir.resolve("metrics.jsonl");
    if (!Files.exists(file)) {
      return new RunMetrics(out);
    }
    try {
      List<String> lines = Files.readAllLines(file);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).isBlank()) {
          continue;
        }
        Map<?, ?> entry = JSON.readValue(lines.get(i), Map.class);
        if (!(entry.get("iter") instanceof Number iter)) {
          throw new BadInputException(file + ": line " + (i + 1) + " has no iteration number");
        }
        for (String k : keys) {
          if (entry.get(k) instanceof Number v) {
            out.get(k).put(iter.longValue(), v.doubleValue());
          }
        }
      }
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
    return new RunMetrics(out);
  }

  /** The value of {@code key} at the last validation, or null. */
  Double last(String key) {
    TreeMap<Long, Double> s = series.get(key);
    return s == null || s.isEmpty() ? null : s.lastEntry().getValue();
  }

  /** The iteration of the last validation of {@code key}, or -1. */
  long lastIteration(String key) {
    TreeMap<Long, Double> s = series.get(key);
    return s == null || s.isEmpty() ? -1 : s.lastKey();
  }
}
