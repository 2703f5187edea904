package io.sr4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values of a run's {@code metrics.jsonl}: one series per key, in the order the keys first appear. Lines that
 * are not a JSON object with a numeric {@code iter} (such as a line still being written) are skipped and counted;
 * non-numeric values ("NaN" is written as text) are left out. Memory stays bounded: a line longer than
 * {@link #MAX_LINE_CHARS} is skipped without being held, and keys beyond {@link #MAX_KEYS} are ignored.
 */
public final class MetricHistory {
  /** Longest line read; the trainer's lines are a few hundred characters. */
  static final int MAX_LINE_CHARS = 1 << 16;
  /** Most distinct keys kept. */
  static final int MAX_KEYS = 256;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Map<String, Series> series = new LinkedHashMap<>();
  private int skippedLines;

  private MetricHistory() {}

  /** The history in {@code jsonl}; empty when the file does not exist. */
  public static MetricHistory read(Path jsonl) {
    MetricHistory h = new MetricHistory();
    if (!Files.isRegularFile(jsonl)) {
      return h;
    }
    try (Reader r = new InputStreamReader(Files.newInputStream(jsonl), StandardCharsets.UTF_8)) {
      char[] buf = new char[8192];
      StringBuilder line = new StringBuilder();
      boolean overlong = false;
      for (int n = r.read(buf); n >= 0; n = r.read(buf)) {
        for (int i = 0; i < n; i++) {
          char c = buf[i];
          if (c == '\n') {
            if (overlong) {
              h.skippedLines++;
            } else {
              h.add(line);
            }
            line.setLength(0);
            overlong = false;
          } else if (!overlong) {
            line.append(c);
            if (line.length() > MAX_LINE_CHARS) {
              overlong = true;
              line.setLength(0);
            }
          }
        }
      }
      if (overlong || !line.toString().isBlank()) {
        h.skippedLines++; // an unterminated last line is still being written
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return h;
  }

  private void add(CharSequence text) {
    if (text.toString().isBlank()) {
      return;
    }
    JsonNode node;
    try {
      node = JSON.readTree(text.toString());
    } catch (IOException e) {
      skippedLines++;
      return;
    }
    if (node == null || !node.isObject() || !node.path("iter").isIntegralNumber()) {
      skippedLines++;
      return;
    }
    long iter = node.get("iter").asLong();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("iter") || !e.getValue().isNumber()) {
        continue;
      }
      Series s = series.get(e.getKey());
      if (s == null) {
        if (series.size() >= MAX_KEYS) {
          continue;
        }
        s = new Series();
        series.put(e.getKey(), s);
      }
      s.add(iter, e.getValue().asDouble());
    }
  }

  /** Every key with at least one value, in order of first appearance. */
  public Map<String, Series> series() {
    return Collections.unmodifiableMap(series);
  }

  /** The series of {@code key}, or null. */
  public Series get(String key) {
    return series.get(key);
  }

  /** Lines that could not be read as a metrics record. */
  public int skippedLines() {
    return skippedLines;
  }

  /** The largest iteration of any value, or 0 for an empty history. */
  public long lastIteration() {
    long last = 0;
    for (Series s : series.values()) {
      last = Math.max(last, s.iter(s.size() - 1));
    }
    return last;
  }

  /** The values of one key against iteration, in the order they were logged. */
  public static final class Series {
    private long[] iters = new long[16];
    private double[] values = new double[16];
    private int size;

    void add(long iter, double value) {
      if (size == iters.length) {
        iters = Arrays.copyOf(iters, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      iters[size] = iter;
      values[size] = value;
      size++;
    }

    public int size() {
      return size;
    }

    public long iter(int i) {
      return iters[i];
    }

    public double value(int i) {
      return values[i];
    }

    /** The index of the last value, or -1. */
    public int lastIndex() {
      return size - 1;
    }

    /** The index of the best finite value (the first of equal ones), or -1 when there is none. */
    public int bestIndex(boolean higherIsBetter) {
      int best = -1;
      for (int i = 0; i < size; i++) {
        double v = values[i];
        if (Double.isFinite(v) && (best < 0 || (higherIsBetter ? v > values[best] : v < values[best]))) {
          best = i;
        }
      }
      return best;
    }
  }
}
