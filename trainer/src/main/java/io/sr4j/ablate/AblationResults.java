package io.sr4j.ablate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sr4j.config.ConfigLoader;
import io.sr4j.config.DatasetConfig;
import io.sr4j.config.MetricConfig;
import io.sr4j.config.TrainConfig;
import io.sr4j.data.AtomicFiles;
import io.sr4j.data.BadInputException;
import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.eval.CropGrid;
import io.sr4j.report.ResultsTable;
import io.sr4j.train.RunLog;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The results of an ablation or search, built from the run folders alone (each candidate's metrics.jsonl,
 * candidate.json and visualization/), so that an ablation run elsewhere can be summarised anywhere:
 * {@code results.md}, {@code results.csv}, {@code results.json} (one row per variant; for every validation key the
 * mean, sample standard deviation and number of runs over seeds of the last validation value; configs/README.md
 * lists the fields), {@code curves.png} (the ranking key over iterations, one line per variant, seeds as a min-max
 * band), {@code grid.png} (the same centre crops of the saved validation images, HR, bicubic and one column per
 * variant) and, for a search, {@code best.yml} (the best candidate as a ready-to-run config).
 */
public final class AblationResults {
  /** The files written (grid and bestConfig may be null: no saved images, or not a search). */
  public record Written(Path markdown, Path csv, Path json, Path curves, Path grid, Path bestConfig, Path html) {}

  /** Mean, sample standard deviation (null for n < 2) and number of runs. */
  public record Stat(double mean, Double std, int n) {}

  /** A validation key: its set, metric name and type, channel and direction. */
  public record Column(String key, String set, String metric, String type, boolean yChannel, boolean higherIsBetter) {
    String label() {
      String channel = yChannel ? "-Y" : "-RGB";
      String m = switch (type) {
        case MetricConfig.PSNR -> "PSNR" + channel + " (dB)";
        case MetricConfig.PSNR_SHIFT -> "shift-tolerant PSNR" + channel + " (dB)";
        case MetricConfig.SSIM -> "SSIM" + channel;
        case MetricConfig.SHARPNESS -> "sharpness ratio";
        case MetricConfig.LPIPS -> "LPIPS";
        default -> "NIQE";
      };
      return set + " " + m;
    }

    String format(double v) {
      boolean unitless = type.equals(MetricConfig.SSIM) || type.equals(MetricConfig.LPIPS)
          || type.equals(MetricConfig.SHARPNESS);
      return String.format(Locale.ROOT, unitless ? "%.4f" : "%.3f", v);
    }
  }

  /**
   * One run of a variant: its seed, folder, state, reason, iterations, seconds, the iteration of its last validation
   * (-1: none) and the values of that validation.
   */
  public record Run(long seed, String dir, String state, String reason, long iterations, Double seconds,
      long lastIteration, Map<String, Double> values) {
    boolean counts() {
      return state.equals(CandidateState.FINISHED) || state.equals(CandidateState.STOPPED);
    }
  }

  /** One variant: its name, overrides relative to the base, runs over seeds and statistics per column. */
  public record Row(String name, Map<String, JsonNode> overrides, List<Run> runs, Map<String, Stat> stats) {}

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
  private static final Color[] COLORS = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
      new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
      new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};
  private static final int CROP_PX = 128;

  private AblationResults() {}

  /** Reads the run folders of {@code plan} and writes every result file into its folder. */
  public static Written write(AblationPlan plan) {
    List<Column> columns = columns(plan);
    List<Row> rows = rows(plan, columns);
    Path dir = plan.outDir();
    try {
      Files.createDirectories(dir);
      Path md = dir.resolve("results.md");
      Path csv = dir.resolve("results.csv");
      Path json = dir.resolve("results.json");
      Path curves = dir.resolve("curves.png");
      Path best = plan.kind() == AblationPlan.Kind.TUNE ? writeBestConfig(plan, rows, dir.resolve("best.yml")) : null;
      Path grid = writeGrid(plan, rows, dir.resolve("grid.png"));
      AtomicFiles.writeString(md, markdown(plan, columns, rows, grid != null, best));
      AtomicFiles.writeString(csv, csv(columns, rows));
      AtomicFiles.writeString(json, JSON.writeValueAsString(json(plan, columns, rows, grid != null, best)) + "\n");
      writeCurves(plan, rows, curves);
      Path html = writeHtml(plan, columns, rows);
      return new Written(md, csv, json, curves, grid, best, html);
    } catch (IOException e) {
      throw new BadInputException(dir + ": cannot write the results (" + e.getMessage() + ")", e);
    }
  }

  static List<Column> columns(AblationPlan plan) {
    TrainConfig cfg = plan.baseConfig();
    List<Column> out = new ArrayList<>();
    for (DatasetConfig set : cfg.datasets().val()) {
      for (Map.Entry<String, MetricConfig> m : cfg.val().metrics().entrySet()) {
        String key = set.name() + "_" + m.getKey();
        boolean higher = key.equals(plan.rankKey()) ? plan.higherIsBetter() : m.getValue().higherIsBetter();
        out.add(new Column(key, set.name(), m.getKey(), m.getValue().type(), m.getValue().testYChannel(), higher));
      }
    }
    return out;
  }

  /** One row per variant in spec order (a search: best first), with its runs over seeds. */
  static List<Row> rows(AblationPlan plan, List<Column> columns) {
    Map<String, List<AblationPlan.Candidate>> byName = new LinkedHashMap<>();
    for (AblationPlan.Candidate c : plan.candidates()) {
      byName.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(c);
    }
    List<String> keys = columns.stream().map(Column::key).toList();
    List<Row> rows = new ArrayList<>();
    for (List<AblationPlan.Candidate> cs : byName.values()) {
      List<Run> runs = new ArrayList<>();
      for (AblationPlan.Candidate c : cs) {
        runs.add(run(plan, c, keys));
      }
      Map<String, Stat> stats = new LinkedHashMap<>();
      for (String k : keys) {
        List<Double> v = runs.stream().filter(Run::counts).map(r -> r.values().get(k)).filter(x -> x != null).toList();
        if (!v.isEmpty()) {
          stats.put(k, stat(v));
        }
      }
      rows.add(new Row(cs.get(0).name(), cs.get(0).overrides(), runs, stats));
    }
    if (plan.kind() == AblationPlan.Kind.TUNE) {
      Comparator<Row> byScore = Comparator.comparingDouble(r -> {
        Stat s = r.stats().get(plan.rankKey());
        return s == null ? Double.POSITIVE_INFINITY : plan.higherIsBetter() ? -s.mean() : s.mean();
      });
      rows.sort(byScore);
    }
    return rows;
  }

  private static Run run(AblationPlan plan, AblationPlan.Candidate c, List<String> keys) {
    Path runDir = plan.runDir(c);
    CandidateState state = CandidateState.read(runDir);
    RunMetrics metrics = RunMetrics.read(runDir, keys);
    Map<String, Double> values = new LinkedHashMap<>();
    for (String k : keys) {
      if (metrics.last(k) != null) {
        values.put(k, metrics.last(k));
      }
    }
    String dir = plan.outDir().relativize(runDir).toString();
    long validated = metrics.lastIteration(plan.rankKey());
    if (state == null || state.state().equals(CandidateState.RUNNING)) {
      return new Run(c.seed(), dir, Files.exists(runDir) ? "interrupted" : "not run", null,
          CandidateState.trainedIterations(runDir), state == null ? null : state.seconds(), validated, values);
    }
    return new Run(c.seed(), dir, state.state(), state.reason(), state.iterations(), state.seconds(), validated, values);
  }

  /** Mean and sample standard deviation (divisor n - 1). */
  static Stat stat(List<Double> v) {
    double mean = v.stream().mapToDouble(Double::doubleValue).sum() / v.size();
    if (v.size() < 2) {
      return new Stat(mean, null, 1);
    }
    double ss = v.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
    return new Stat(mean, Math.sqrt(ss / (v.size() - 1)), v.size());
  }

  /** The best mean of a column in its direction, or null when no variant has a value. */
  private static Double best(Column col, List<Row> rows) {
    Double best = null;
    for (Row r : rows) {
      Stat s = r.stats().get(col.key());
      if (s != null && (best == null || (col.higherIsBetter() ? s.mean() > best : s.mean() < best))) {
        best = s.mean();
      }
    }
    return best;
  }

  /** "mean ± std (n)", or "-" without a value. */
  private static String cellText(Column col, Stat s) {
    return s == null ? "-"
        : col.format(s.mean()) + (s.std() == null ? "" : " ± " + col.format(s.std())) + " (" + s.n() + ")";
  }

  /** Whether {@code s} is the column's best mean at the column's precision (ties are all best). */
  private static boolean isBest(Column col, Stat s, Double best) {
    return s != null && best != null && col.format(s.mean()).equals(col.format(best));
  }

  private static String cell(Column col, Stat s, Double best) {
    return isBest(col, s, best) ? "**" + cellText(col, s) + "**" : cellText(col, s);
  }

  /** Mean wall minutes of a variant's counted runs, or NaN when none recorded its time. */
  private static double minutesPerRun(Row r) {
    return r.runs().stream().filter(Run::counts).map(Run::seconds).filter(x -> x != null)
        .mapToDouble(Double::doubleValue).average().orElse(Double.NaN) / 60;
  }

  /** Overrides as "key=value, ..." (rates to 4 significant digits; results.json and best.yml keep exact values). */
  private static String overrides(Map<String, JsonNode> o) {
    if (o.isEmpty()) {
      return "(base)";
    }
    List<String> parts = new ArrayList<>();
    o.forEach((k, v) -> parts.add(k + "=" + (v.isTextual() ? v.asText()
        : v.isFloatingPointNumber() ? new BigDecimal(v.asDouble()).round(new MathContext(4)).stripTrailingZeros()
            .toPlainString() : v.toString())));
    return String.join(", ", parts);
  }

  private static String markdown(AblationPlan plan, List<Column> columns, List<Row> rows, boolean grid, Path best) {
    AblationSpec spec = plan.spec();
    StringBuilder sb = new StringBuilder();
    boolean tune = plan.kind() == AblationPlan.Kind.TUNE;
    sb.append("# ").append(tune ? "Search " : "Ablation ").append(plan.name()).append("\n\n");
    sb.append("Spec `").append(plan.specFile()).append("`, base config `").append(plan.baseFile()).append('`');
    if (!spec.set().isEmpty()) {
      sb.append(" with ").append(overrides(spec.set()));
    }
    sb.append(". ").append(plan.candidates().size()).append(" runs: ").append(rows.size()).append(tune
        ? " random candidates (Arbiter random search, seed " + plan.searchSeed() + ")" : " variants").append(" x ")
        .append(plan.seeds().size()).append(" seed").append(plan.seeds().size() > 1 ? "s " : " ").append(plan.seeds());
    sb.append(", ").append(spec.budget().iterations() != null ? spec.budget().iterations() : plan.baseConfig().train().totalIter())
        .append(" iterations each");
    if (spec.budget().maxMinutes() != null) {
      sb.append(String.format(Locale.ROOT, ", at most %.4g min each", spec.budget().maxMinutes()));
    }
    sb.append(".\n\n");
    sb.append("Each value is the last validation of a run (its `models/net_g_final.zip`): mean ± sample standard "
        + "deviation (number of runs) over seeds. Best per column in bold (higher is better for PSNR and SSIM, lower "
        + "for NIQE). ");
    sb.append(tune ? "Rows ranked by " : "Ranking key: ").append(plan.rankKey()).append(" (")
        .append(plan.higherIsBetter() ? "higher" : "lower").append(" is better).\n\n");
    sb.append("| # | ").append(tune ? "candidate" : "variant").append(" | overrides |");
    columns.forEach(c -> sb.append(' ').append(c.label()).append(" |"));
    sb.append(" minutes per run |\n|---|---|---|");
    columns.forEach(c -> sb.append("---:|"));
    sb.append("---:|\n");
    Map<String, Double> bests = new LinkedHashMap<>();
    columns.forEach(c -> bests.put(c.key(), best(c, rows)));
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      sb.append("| ").append(i + 1).append(" | ").append(r.name()).append(" | ").append(overrides(r.overrides()))
          .append(" |");
      columns.forEach(c -> sb.append(' ').append(cell(c, r.stats().get(c.key()), bests.get(c.key()))).append(" |"));
      double minutes = minutesPerRun(r);
      sb.append(Double.isNaN(minutes) ? " - |" : String.format(Locale.ROOT, " %.1f |", minutes));
      sb.append('\n');
    }
    List<String> notes = new ArrayList<>();
    for (Row r : rows) {
      for (Run run : r.runs()) {
        if (!run.state().equals(CandidateState.FINISHED)) {
          Double last = run.values().get(plan.rankKey());
          notes.add("- `" + run.dir() + "`: " + run.state() + (run.reason() == null ? "" : ": " + run.reason())
              + (run.counts() || last == null ? "" : String.format(Locale.ROOT, " (not counted; its last validation, "
                  + "at iteration %d: %s %.3f)", run.lastIteration(), plan.rankKey(), last)));
        }
      }
    }
    if (!notes.isEmpty()) {
      sb.append("\nRuns not counted as finished (stopped runs count, with the iterations they reached):\n\n");
      notes.forEach(n -> sb.append(n).append('\n'));
    }
    double total = rows.stream().flatMap(r -> r.runs().stream()).map(Run::seconds).filter(x -> x != null)
        .mapToDouble(Double::doubleValue).sum();
    sb.append("\nTraining time summed over runs (runs trained in parallel overlap): ").append(RunLog.duration(total))
        .append(".\n");
    sb.append("\n`curves.png`: ").append(plan.rankKey()).append(" over iterations, mean over seeds with a min-max band.");
    if (grid) {
      sb.append(" `grid.png`: the same centre crops of ").append(gridSet(plan))
          .append(" validation images: HR, bicubic, then each variant by number (its first finished seed, else an unfinished run, at its last validation).");
    }
    if (best != null) {
      sb.append(" `").append(best.getFileName()).append("`: the best candidate as a ready-to-run config.");
    }
    sb.append('\n');
    return sb.toString();
  }

  /**
   * {@code report.html}: the results table (as results.md, sortable; a variant links to its first run's report),
   * every run's validation curves overlaid (one legend entry per run: the variant, and its seed when there are
   * several) and the crop grid of those runs.
   */
  private static Path writeHtml(AblationPlan plan, List<Column> columns, List<Row> rows) {
    List<String> header = new ArrayList<>(List.of("#", plan.kind() == AblationPlan.Kind.TUNE ? "candidate" : "variant",
        "overrides"));
    columns.forEach(c -> header.add(c.label()));
    header.add("minutes per run");
    header.add("runs counted");
    Map<String, Double> bests = new LinkedHashMap<>();
    columns.forEach(c -> bests.put(c.key(), best(c, rows)));
    List<List<ResultsTable.Cell>> cells = new ArrayList<>();
    List<io.sr4j.report.AblationReport.Variant> variants = new ArrayList<>();
    boolean seeds = plan.seeds().size() > 1;
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      List<ResultsTable.Cell> row = new ArrayList<>();
      row.add(ResultsTable.Cell.number(String.valueOf(i + 1), i + 1));
      row.add(r.runs().isEmpty() ? ResultsTable.Cell.text(r.name())
          : ResultsTable.Cell.link(r.name(), r.runs().get(0).dir() + "/report.html"));
      row.add(ResultsTable.Cell.text(overrides(r.overrides())));
      for (Column c : columns) {
        Stat st = r.stats().get(c.key());
        ResultsTable.Cell cell = st == null ? ResultsTable.Cell.text(cellText(c, st))
            : ResultsTable.Cell.number(cellText(c, st), st.mean());
        row.add(isBest(c, st, bests.get(c.key())) ? cell.emphasised() : cell);
      }
      double minutes = minutesPerRun(r);
      row.add(Double.isNaN(minutes) ? ResultsTable.Cell.text("-")
          : ResultsTable.Cell.number(String.format(Locale.ROOT, "%.1f", minutes), minutes));
      long counted = r.runs().stream().filter(Run::counts).count();
      row.add(ResultsTable.Cell.number(counted + " of " + r.runs().size(), counted));
      cells.add(row);
      for (Run run : r.runs()) {
        Path dir = plan.outDir().resolve(run.dir());
        if (Files.isDirectory(dir)) {
          variants.add(new io.sr4j.report.AblationReport.Variant(seeds ? r.name() + " s" + run.seed() : r.name(), dir));
        }
      }
    }
    String title = (plan.kind() == AblationPlan.Kind.TUNE ? "search " : "ablation ") + plan.name();
    return io.sr4j.report.AblationReport.write(plan.outDir(), title, variants, new ResultsTable(header, cells));
  }

  private static String csv(List<Column> columns, List<Row> rows) {
    StringBuilder sb = new StringBuilder("variant,overrides");
    columns.forEach(c -> sb.append(',').append(c.key()).append("_mean,").append(c.key()).append("_std,")
        .append(c.key()).append("_n"));
    sb.append(",runs,finished\n");
    for (Row r : rows) {
      sb.append(r.name()).append(",\"").append(overrides(r.overrides()).replace("\"", "\"\"")).append('"');
      for (Column c : columns) {
        Stat s = r.stats().get(c.key());
        sb.append(',').append(s == null ? "" : num(s.mean())).append(',')
            .append(s == null || s.std() == null ? "" : num(s.std())).append(',').append(s == null ? 0 : s.n());
      }
      sb.append(',').append(r.runs().size()).append(',').append(r.runs().stream().filter(Run::counts).count())
          .append('\n');
    }
    return sb.toString();
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.6f", v);
  }

  private static Map<String, Object> json(AblationPlan plan, List<Column> columns, List<Row> rows, boolean grid,
      Path best) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("format", 1);
    out.put("kind", plan.kind() == AblationPlan.Kind.TUNE ? "tune" : "ablation");
    out.put("name", plan.name());
    out.put("spec", plan.specFile().toString());
    out.put("base", plan.baseFile().toString());
    out.put("set", plan.spec().set());
    out.put("seeds", plan.seeds());
    out.put("iterations", plan.spec().budget().iterations() != null ? plan.spec().budget().iterations()
        : plan.baseConfig().train().totalIter());
    out.put("max_minutes", plan.spec().budget().maxMinutes());
    out.put("search_seed", plan.kind() == AblationPlan.Kind.TUNE ? plan.searchSeed() : null);
    out.put("rank", Map.of("key", plan.rankKey(), "higher_is_better", plan.higherIsBetter()));
    List<Map<String, Object>> cols = new ArrayList<>();
    for (Column c : columns) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("key", c.key());
      m.put("set", c.set());
      m.put("metric", c.metric());
      m.put("type", c.type());
      m.put("channel", c.type().equals(MetricConfig.NIQE) ? "y" : c.yChannel() ? "y" : "rgb");
      m.put("label", c.label());
      m.put("higher_is_better", c.higherIsBetter());
      Double b = best(c, rows);
      m.put("best", b == null ? null : rows.stream().filter(r -> r.stats().get(c.key()) != null
          && c.format(r.stats().get(c.key()).mean()).equals(c.format(b))).map(Row::name).toList());
      cols.add(m);
    }
    out.put("columns", cols);
    List<Map<String, Object>> vs = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", r.name());
      m.put("overrides", r.overrides());
      m.put("stats", r.stats());
      m.put("runs", r.runs());
      vs.add(m);
    }
    out.put("variants", vs);
    out.put("curves", "curves.png");
    out.put("grid", grid ? "grid.png" : null);
    out.put("best_config", best == null ? null : best.getFileName().toString());
    return out;
  }

  /** The validation set of the ranking key (the grid shows its images). */
  private static String gridSet(AblationPlan plan) {
    for (DatasetConfig set : plan.baseConfig().datasets().val()) {
      if (plan.rankKey().startsWith(set.name() + "_")) {
        return set.name();
      }
    }
    return plan.baseConfig().datasets().val().get(0).name();
  }

  private static void writeCurves(AblationPlan plan, List<Row> rows, Path file) throws IOException {
    XYChart chart = new XYChartBuilder().width(960).height(560).title(plan.name() + ": " + plan.rankKey()
        + " (mean over seeds, band: min to max)").xAxisTitle("iteration").yAxisTitle(plan.rankKey()).build();
    chart.getStyler().setMarkerSize(5);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      TreeMap<Long, List<Double>> byIter = new TreeMap<>();
      for (AblationPlan.Candidate c : plan.candidates()) {
        if (c.name().equals(r.name())) {
          RunMetrics m = RunMetrics.read(plan.runDir(c), List.of(plan.rankKey()));
          m.series().get(plan.rankKey()).forEach((it, v) -> {
            if (Double.isFinite(v)) {
              byIter.computeIfAbsent(it, k -> new ArrayList<>()).add(v);
            }
          });
        }
      }
      if (byIter.isEmpty()) {
        continue;
      }
      Color color = COLORS[i % COLORS.length];
      List<Double> x = new ArrayList<>();
      List<Double> mean = new ArrayList<>();
      List<Double> lo = new ArrayList<>();
      List<Double> hi = new ArrayList<>();
      byIter.forEach((it, v) -> {
        x.add(it.doubleValue());
        mean.add(v.stream().mapToDouble(Double::doubleValue).average().orElseThrow());
        lo.add(v.stream().mapToDouble(Double::doubleValue).min().orElseThrow());
        hi.add(v.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
      });
      if (byIter.values().stream().anyMatch(v -> v.size() > 1)) {
        List<Double> bx = new ArrayList<>(x);
        List<Double> by = new ArrayList<>(hi);
        for (int j = x.size() - 1; j >= 0; j--) {
          bx.add(x.get(j));
          by.add(lo.get(j));
        }
        XYSeries band = chart.addSeries("(" + (i + 1) + ") band", bx, by);
        band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        band.setFillColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 50));
        band.setLineColor(new Color(0, 0, 0, 0));
        band.setMarker(SeriesMarkers.NONE);
        band.setShowInLegend(false);
      }
      XYSeries line = chart.addSeries("(" + (i + 1) + ") " + r.name(), x, mean);
      line.setLineColor(color);
      line.setMarkerColor(color);
      line.setMarker(x.size() > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
    }
    if (chart.getSeriesMap().isEmpty()) {
      chart.addSeries("no validation yet", List.of(0.0), List.of(0.0));
    }
    AtomicFiles.write(file, tmp -> {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
      }
    });
  }

  /**
   * The crop grid: rows are the validation images the runs saved of the ranking key's set; columns HR, bicubic and
   * each variant's last saved output (its first counted run). Null when no run saved images.
   */
  private static Path writeGrid(AblationPlan plan, List<Row> rows, Path file) {
    String set = gridSet(plan);
    List<String> labels = new ArrayList<>(List.of("HR", "bicubic"));
    List<Path> variantDirs = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Path chosen = null;
      for (Run run : rows.get(i).runs()) { // its first counted run with images, else any run with images
        Path images = plan.outDir().resolve(run.dir()).resolve("visualization").resolve(set);
        if (Files.isDirectory(images) && (chosen == null || run.counts())) {
          chosen = images;
          if (run.counts()) {
            break;
          }
        }
      }
      if (chosen != null) {
        labels.add("(" + (i + 1) + ")");
        variantDirs.add(chosen);
      }
    }
    if (variantDirs.isEmpty()) {
      return null;
    }
    List<String> names = imageNames(variantDirs.get(0));
    List<List<Image>> grid = new ArrayList<>();
    List<String> shown = new ArrayList<>();
    for (String name : names) {
      List<Image> row = new ArrayList<>(List.of(ImageFiles.read(variantDirs.get(0).resolve(name + "_hr.png")),
          ImageFiles.read(variantDirs.get(0).resolve(name + "_bicubic.png"))));
      for (Path d : variantDirs) {
        Path last = lastOutput(d, name);
        if (last == null) {
          break;
        }
        row.add(ImageFiles.read(last));
      }
      if (row.size() == labels.size()) {
        grid.add(row);
        shown.add(name);
      }
    }
    if (grid.isEmpty()) {
      return null;
    }
    CropGrid.write(file, labels, shown, grid, CROP_PX);
    return file;
  }

  /** Image names with a saved HR reference in a run's visualization folder, sorted. */
  private static List<String> imageNames(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("_hr.png"))
          .map(n -> n.substring(0, n.length() - "_hr.png".length())).sorted().toList();
    } catch (IOException e) {
      throw new BadInputException(dir + ": cannot list (" + e.getMessage() + ")", e);
    }
  }

  /** The output of {@code name} at the highest iteration ({@code <name>_<8 digits>.png}), or null. */
  private static Path lastOutput(Path dir, String name) {
    Pattern p = Pattern.compile(Pattern.quote(name) + "_(\\d{8})\\.png");
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(f -> p.matcher(f.getFileName().toString()).matches())
          .max(Comparator.comparing(f -> f.getFileName().toString())).orElse(null);
    } catch (IOException e) {
      throw new BadInputException(dir + ": cannot list (" + e.getMessage() + ")", e);
    }
  }

  /**
   * For a search: the best candidate's config (the base, the spec's set, the candidate's values, the budget's
   * iterations and its seed) under the name {@code <search>_best}, writing to the base's experiments root.
   */
  private static Path writeBestConfig(AblationPlan plan, List<Row> rows, Path file) throws IOException {
    if (rows.isEmpty() || rows.get(0).stats().get(plan.rankKey()) == null) {
      return null;
    }
    Row best = rows.get(0);
    AblationPlan.Candidate c = plan.candidates().stream().filter(x -> x.name().equals(best.name())).findFirst()
        .orElseThrow();
    ObjectNode tree = plan.tree(c, 0);
    tree.put("name", plan.name() + "_best");
    ConfigLoader.applyOverride(tree, "path.experiments_root="
        + JsonNodeFactory.instance.textNode(plan.baseConfig().path().experimentsRoot()));
    ConfigLoader.bind(tree, TrainConfig.class, file.toString()); // what is written must be a valid config
    Stat s = best.stats().get(plan.rankKey());
    long finished = rows.stream().filter(r -> r.stats().get(plan.rankKey()) != null).count();
    String header = String.format(Locale.ROOT, "# Best of %d finished of %d candidates of sr tune %s (random search, "
        + "seed %d): %s, %s %s.%n# Candidate values: %s.%n# Train it with: ./sr train %s%n", finished,
        plan.candidates().size(),
        plan.specFile(), plan.searchSeed(), best.name(), plan.rankKey(), String.format(Locale.ROOT, "%.4f", s.mean()), overrides(best.overrides()), file);
    AtomicFiles.writeString(file, header + ConfigLoader.mapper().writeValueAsString(tree));
    return file;
  }
}
