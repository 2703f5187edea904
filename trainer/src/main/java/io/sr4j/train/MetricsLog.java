package io.sr4j.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sr4j.data.AtomicFiles;
import io.sr4j.data.BadInputException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The run's metrics: one JSON object per logged iteration in {@code metrics.jsonl}, the same values in long format
 * in {@code metrics.csv} ({@code iter,key,value}), and PNG plots of the losses ({@code losses.png}) and of the
 * validation values ({@code validation.png}) redrawn after each validation. On resume, entries after the resumed
 * iteration are dropped so the files describe one consistent history.
 */
public final class MetricsLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;
  private final Path jsonl;
  private final Path csv;
  private final Map<String, TreeMap<Long, Double>> series = new LinkedHashMap<>();

  public MetricsLog(Path dir, long resumedAt) {
    this.dir = dir;
    this.jsonl = dir.resolve("metrics.jsonl");
    this.csv = dir.resolve("metrics.csv");
    try {
      Files.createDirectories(dir);
      List<String> kept = new ArrayList<>();
      StringBuilder rows = new StringBuilder("iter,key,value\n");
      if (Files.exists(jsonl)) {
        for (String line : Files.readAllLines(jsonl)) {
          Map<?, ?> entry = JSON.readValue(line, Map.class);
          long iter = ((Number) entry.get("iter")).longValue();
          if (iter <= resumedAt) {
            kept.add(line);
            remember(entry);
            entry.forEach((k, v) -> {
              if (!k.equals("iter") && v instanceof Number n) {
                rows.append(csvRow(iter, (String) k, n.doubleValue()));
              }
            });
          }
        }
      }
      AtomicFiles.writeString(jsonl, kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
      AtomicFiles.writeString(csv, rows.toString());
    } catch (IOException e) {
      throw new BadInputException(dir + ": cannot write the metrics log (" + e.getMessage() + ")", e);
    }
  }

  private void remember(Map<?, ?> entry) {
    long iter = ((Number) entry.get("iter")).longValue();
    for (Map.Entry<?, ?> e : entry.entrySet()) {
      if (!e.getKey().equals("iter") && e.getValue() instanceof Number n) {
        series.computeIfAbsent((String) e.getKey(), k -> new TreeMap<>()).put(iter, n.doubleValue());
      }
    }
  }

  private static String csvRow(long iter, String key, double value) {
    return iter + "," + key + "," + String.format(Locale.ROOT, "%.8g", value) + "\n";
  }

  /** Appends one record ({@code iter} plus named values). */
  public void log(long iter, Map<String, Double> values) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("iter", iter);
    entry.putAll(values);
    remember(entry);
    try (BufferedWriter j = Files.newBufferedWriter(jsonl, StandardOpenOption.APPEND);
        BufferedWriter c = Files.newBufferedWriter(csv, StandardOpenOption.APPEND)) {
      j.write(JSON.writeValueAsString(entry));
      j.write('\n');
      for (Map.Entry<String, Double> v : values.entrySet()) {
        c.write(csvRow(iter, v.getKey(), v.getValue()));
      }
    } catch (IOException e) {
      throw new BadInputException(jsonl + ": cannot append (" + e.getMessage() + ")", e);
    }
  }

  /** Redraws {@code losses.png} (keys starting with "l_") and {@code validation.png} (keys containing psnr/ssim/niqe). */
  public void plot() {
    draw("losses.png", "training losses", "loss", k -> k.startsWith("l_"));
    for (String metric : List.of("psnr", "ssim", "niqe")) {
      draw("validation_" + metric + ".png", "validation " + metric.toUpperCase(Locale.ROOT), metric,
          k -> k.toLowerCase(Locale.ROOT).endsWith("_" + metric) || k.toLowerCase(Locale.ROOT).contains(metric + "_"));
    }
  }

  private void draw(String file, String title, String yLabel, java.util.function.Predicate<String> keys) {
    XYChart chart = new XYChartBuilder().width(800).height(480).title(title).xAxisTitle("iteration")
        .yAxisTitle(yLabel).build();
    chart.getStyler().setMarkerSize(4);
    int added = 0;
    for (Map.Entry<String, TreeMap<Long, Double>> s : series.entrySet()) {
      if (!keys.test(s.getKey()) || s.getValue().isEmpty()) {
        continue;
      }
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (Map.Entry<Long, Double> p : s.getValue().entrySet()) {
        if (Double.isFinite(p.getValue())) {
          x.add(p.getKey().doubleValue());
          y.add(p.getValue());
        }
      }
      if (!x.isEmpty()) {
        chart.addSeries(s.getKey(), x, y).setMarker(x.size() > 50 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        added++;
      }
    }
    if (added == 0) {
      return;
    }
    try {
      Path target = dir.resolve(file);
      AtomicFiles.write(target, tmp -> {
        try (java.io.OutputStream out = Files.newOutputStream(tmp)) {
          BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
      });
    } catch (IOException e) {
      throw new BadInputException(dir.resolve(file) + ": cannot write (" + e.getMessage() + ")", e);
    }
  }
}
