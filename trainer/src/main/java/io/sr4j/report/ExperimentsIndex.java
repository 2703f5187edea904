package io.sr4j.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code experiments/index.html}: every run folder directly under the experiments folder in one sortable table
 * (name linking to its report, state, model, scale, iterations, the best value of every validation key, wall time,
 * last update).
 */
public final class ExperimentsIndex {
  record Data(String kind) {}

  private ExperimentsIndex() {}

  /** The run folders directly under {@code experimentsDir}, in name order. */
  public static List<Path> runs(Path experimentsDir) {
    try (Stream<Path> s = Files.list(experimentsDir)) {
      return s.filter(Files::isDirectory).filter(RunFolder::isRun).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code experimentsDir/index.html} for {@code runs} (atomically) and returns its path. */
  public static Path write(Path experimentsDir, List<RunFolder> runs) {
    List<String> keys = new ArrayList<>(); // every validation key of any run: set_metric
    List<RunFolder.Metric> keyMetrics = new ArrayList<>();
    for (RunFolder r : runs) {
      for (String set : r.sets()) {
        for (RunFolder.Metric m : r.metrics().values()) {
          String k = RunFolder.key(set, m);
          if (r.history().get(k) != null && !keys.contains(k)) {
            keys.add(k);
            keyMetrics.add(m);
          }
        }
      }
    }
    List<String> columns = new ArrayList<>(List.of("run", "state", "model", "scale", "iterations"));
    keys.forEach(k -> columns.add("best " + k));
    columns.addAll(List.of("wall time", "updated"));
    List<List<ResultsTable.Cell>> rows = new ArrayList<>();
    for (RunFolder r : runs) {
      List<ResultsTable.Cell> row = new ArrayList<>();
      Path report = r.dir().resolve("report.html");
      row.add(Files.isRegularFile(report) ? ResultsTable.Cell.link(r.name(), Html.href(experimentsDir, report))
          : ResultsTable.Cell.text(r.name()));
      row.add(ResultsTable.Cell.text(r.state()));
      String net = r.configAt("network_g", "type") == null ? "" : " " + r.configAt("network_g", "type");
      row.add(ResultsTable.Cell.text(r.modelType() + net));
      row.add(r.scale() == null ? ResultsTable.Cell.text("-") : ResultsTable.Cell.number("x" + r.scale(), r.scale()));
      row.add(ResultsTable.Cell.number(r.iteration() + (r.totalIter() == null ? "" : " / " + r.totalIter()), r.iteration()));
      for (int i = 0; i < keys.size(); i++) {
        MetricHistory.Series s = r.history().get(keys.get(i));
        int b = s == null ? -1 : s.bestIndex(keyMetrics.get(i).higherIsBetter());
        row.add(b < 0 ? ResultsTable.Cell.text("-")
            : ResultsTable.Cell.number(Html.metric(keyMetrics.get(i).kind(), s.value(b)) + " @ " + s.iter(b), s.value(b)));
      }
      row.add(r.wallTime() == null ? ResultsTable.Cell.text("-")
          : ResultsTable.Cell.number(RunFolder.duration(r.wallTime()), r.wallTime().toSeconds()));
      String updated = r.status() != null && r.status().updated() != null ? r.status().updated()
          : r.log().last() == null ? "-" : r.log().last().toString().replace('T', ' ');
      row.add(ResultsTable.Cell.text(updated));
      rows.add(row);
    }
    Html html = new Html(experimentsDir.toAbsolutePath().normalize().getFileName() + " - sr4j experiments");
    html.raw("<header class=\"top\"><div class=\"crumbs\">experiments index</div><h1>")
        .text(experimentsDir.toAbsolutePath().normalize().toString()).raw("</h1></header>\n<main><section><h2>Runs (")
        .text(String.valueOf(runs.size())).raw(")</h2>\n<p class=\"note\">Click a column header to sort. Best values: "
            + "highest PSNR/SSIM, lowest NIQE, with the iteration.</p>\n")
        .table("runs", new ResultsTable(columns, rows))
        .raw("</section></main>\n<footer>generated ").text(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
        .raw(" by sr4j report</footer>\n");
    Path out = experimentsDir.resolve("index.html");
    html.write(out, new Data("index"), false);
    return out;
  }
}
