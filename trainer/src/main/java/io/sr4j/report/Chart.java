package io.sr4j.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The data of one chart of a report, as the page script draws it: the x values (iterations) and, per line, its
 * values at those x (null where the line has no value). A line logged more than {@link #MAX_POINTS} times is
 * thinned by averaging consecutive values ({@code averaged} says over how many).
 *
 * @param logToggle the page offers a logarithmic y axis (losses)
 */
record Chart(String id, String title, String yLabel, boolean logToggle, int averaged, long[] x, List<Line> lines) {
  static final int MAX_POINTS = 2000;
  static final List<String> PALETTE = List.of("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
      "#e377c2", "#17becf", "#bcbd22", "#393b79", "#ad494a", "#637939");

  /** One line: its legend label, colour (#rrggbb) and values. */
  record Line(String label, String color, Double[] values) {}

  /** A chart of {@code series} (label -> history series; a null series gives an empty line). */
  static Chart of(String id, String title, String yLabel, boolean logToggle, Map<String, MetricHistory.Series> series) {
    int averaged = 1;
    for (MetricHistory.Series s : series.values()) {
      if (s != null) {
        averaged = Math.max(averaged, (s.size() + MAX_POINTS - 1) / MAX_POINTS);
      }
    }
    List<TreeMap<Long, Double>> thinned = new ArrayList<>();
    TreeMap<Long, Integer> xs = new TreeMap<>();
    for (MetricHistory.Series s : series.values()) {
      TreeMap<Long, Double> points = thin(s, averaged);
      thinned.add(points);
      points.keySet().forEach(k -> xs.put(k, 0));
    }
    long[] x = new long[xs.size()];
    int i = 0;
    for (Map.Entry<Long, Integer> e : xs.entrySet()) {
      x[i] = e.getKey();
      e.setValue(i++);
    }
    List<Line> lines = new ArrayList<>();
    int c = 0;
    for (String label : series.keySet()) {
      Double[] values = new Double[x.length];
      thinned.get(c).forEach((iter, v) -> values[xs.get(iter)] = Double.isFinite(v) ? v : null);
      lines.add(new Line(label, PALETTE.get(c % PALETTE.size()), values));
      c++;
    }
    return new Chart(id, title, yLabel, logToggle, averaged, x, lines);
  }

  /** Means of {@code k} consecutive values, at the iteration of the last of them (non-finite values left out). */
  private static TreeMap<Long, Double> thin(MetricHistory.Series s, int k) {
    TreeMap<Long, Double> points = new TreeMap<>();
    if (s == null) {
      return points;
    }
    for (int start = 0; start < s.size(); start += k) {
      int end = Math.min(s.size(), start + k);
      double sum = 0;
      int n = 0;
      for (int j = start; j < end; j++) {
        if (Double.isFinite(s.value(j))) {
          sum += s.value(j);
          n++;
        }
      }
      points.put(s.iter(end - 1), n == 0 ? Double.NaN : sum / n);
    }
    return points;
  }
}
