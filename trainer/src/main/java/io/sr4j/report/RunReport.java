package io.sr4j.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of one training run, {@code <run>/report.html}: state, progress and speed; validation curves per set
 * and metric; loss curves (generator and discriminator terms, with a log-scale switch), discriminator outputs,
 * learning rate, time per iteration and memory; the latest validation per image; bicubic / SR / HR crops of the
 * validation images at the latest and the best validation; checkpoints; the resolved config and the set-up lines of
 * the log. The trainer rewrites it at every validation and at the end of a run; {@code sr report} at any time.
 */
public final class RunReport {
  /** The page's data for its script: the charts to draw. */
  record Data(String kind, List<Chart> charts) {}

  private RunReport() {}

  /** Writes {@code runDir/report.html} (atomically) and returns its path. */
  public static Path write(Path runDir) {
    return write(RunFolder.read(runDir));
  }

  static Path write(RunFolder run) {
    Path out = run.dir().resolve("report.html");
    List<Chart> charts = new ArrayList<>();
    Html html = new Html(run.name() + " - sr4j run report");
    header(html, run);
    html.raw("<main>\n");
    summary(html, run);
    validation(html, run, charts);
    training(html, run, charts);
    images(html, run);
    checkpoints(html, run);
    provenance(html, run);
    html.raw("</main>\n<footer>generated ").text(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
        .raw(" by sr4j report from the files of this folder</footer>\n");
    html.write(out, new Data("run", charts), true);
    return out;
  }

  private static void header(Html html, RunFolder run) {
    html.raw("<header class=\"top\"><div class=\"crumbs\">");
    Path parent = run.dir().toAbsolutePath().normalize().getParent();
    if (parent != null && Files.isRegularFile(parent.resolve("index.html"))) {
      html.raw("<a href=\"../index.html\">").text(parent.getFileName().toString()).raw("</a> / ");
    }
    html.text("run report").raw("</div>\n<h1>").text(run.name()).raw(" <span class=\"state state-")
        .text(run.state()).raw("\">").text(run.state()).raw("</span></h1>\n");
    if (run.message() != null) {
      html.raw("<p class=\"message\" id=\"last-message\">").text(run.message()).raw("</p>\n");
    }
    html.raw("<nav class=\"sections\"><a href=\"#summary\">summary</a><a href=\"#validation\">validation</a>"
        + "<a href=\"#training\">losses &amp; speed</a><a href=\"#images\">images</a>"
        + "<a href=\"#checkpoints\">checkpoints</a><a href=\"#config\">config &amp; provenance</a></nav></header>\n");
  }

  private static void summary(Html html, RunFolder run) {
    html.raw("<section id=\"summary\"><h2>Summary</h2>\n");
    for (String note : run.notes()) {
      html.raw("<p class=\"warn\">").text(note).raw("</p>\n");
    }
    html.raw("<dl class=\"facts\">\n");
    fact(html, "state", run.state() + (run.status() == null
        ? " (this run has no status.json; the state comes from train.log)" : ""));
    String progress = run.iteration() + (run.totalIter() == null ? "" : " / " + run.totalIter());
    html.raw("<dt>iteration</dt><dd>").text(progress);
    if (run.totalIter() != null && run.totalIter() > 0) {
      double pct = Math.min(100, 100.0 * run.iteration() / run.totalIter());
      html.raw(String.format(Locale.ROOT, " (%.0f%%)<div class=\"progress\"><div style=\"width:%.1f%%\"></div></div>",
          pct, pct));
    }
    html.raw("</dd>\n");
    RunStatus st = run.status();
    if (st != null && st.started() != null) {
      html.raw("<dt>started</dt><dd>").raw(time(st.started(), false)).raw("</dd>\n");
    }
    if (st != null && st.updated() != null) {
      html.raw("<dt>updated</dt><dd>").raw(time(st.updated(), true)).raw("</dd>\n");
    }
    fact(html, "wall time", RunFolder.duration(run.wallTime())
        + (st == null && run.wallTime() != null ? " (first to last line of train.log)" : ""));
    fact(html, "model", run.modelType() + (run.scale() == null ? "" : ", x" + run.scale()));
    if (run.generator() != null) {
      fact(html, "generator", run.generator());
    }
    if (run.discriminator() != null) {
      fact(html, "discriminator", run.discriminator());
    }
    Object pretrained = run.configAt("path", "pretrain_network_g");
    if (pretrained != null) {
      fact(html, "initialised from", pretrained.toString());
    }
    RunFolder.Best best = run.best();
    if (best != null) {
      String ckpt = Files.isRegularFile(run.dir().resolve("checkpoints/best.zip")) ? "checkpoints/best.zip" : null;
      html.raw("<dt>best</dt><dd id=\"best\">").text(best.key() + " " + Html.metric(run.kindOf(best.key()), best.value()) + " at iteration "
          + best.iteration());
      if (ckpt != null) {
        html.raw(" &middot; <a href=\"").text(ckpt).raw("\">").text(ckpt).raw("</a>");
      }
      html.raw("</dd>\n");
    }
    MetricHistory.Series t = run.history().get("time_per_iter");
    if (t != null && t.size() > 0) {
      double last = t.value(t.lastIndex());
      double sum = 0;
      for (int i = 0; i < t.size(); i++) {
        sum += t.value(i);
      }
      double mean = sum / t.size();
      String speed = String.format(Locale.ROOT, "%.3f s/iter (%.2f it/s) lately, %.3f s/iter (%.2f it/s) on average",
          last, 1 / last, mean, 1 / mean);
      if ("running".equals(run.state()) && run.totalIter() != null && run.totalIter() > run.iteration()) {
        speed += ", about " + RunFolder.duration(java.time.Duration.ofMillis(
            (long) ((run.totalIter() - run.iteration()) * last * 1000))) + " to go";
      }
      fact(html, "speed", speed);
    }
    fact(html, "peak memory", run.peakRssMb() == null ? "not recorded (no peak_rss_mb in status.json or metrics.jsonl)"
        : String.format(Locale.ROOT, "%.0f MB resident", run.peakRssMb()));
    html.raw("</dl>\n");
    latestMeans(html, run);
    html.raw("</section>\n");
  }

  /** The latest and the best value of every validation key, one row per set. */
  private static void latestMeans(Html html, RunFolder run) {
    List<Long> its = run.validationIterations();
    if (its.isEmpty()) {
      return;
    }
    List<String> columns = new ArrayList<>(List.of("set"));
    for (RunFolder.Metric m : run.metrics().values()) {
      columns.add(m.name() + " @ " + its.get(its.size() - 1));
      columns.add("best " + m.name() + " (iteration)");
    }
    List<List<ResultsTable.Cell>> rows = new ArrayList<>();
    for (String set : run.sets()) {
      List<ResultsTable.Cell> row = new ArrayList<>(List.of(ResultsTable.Cell.text(set)));
      for (RunFolder.Metric m : run.metrics().values()) {
        MetricHistory.Series s = run.history().get(RunFolder.key(set, m));
        int b = s == null ? -1 : s.bestIndex(m.higherIsBetter());
        row.add(s == null ? ResultsTable.Cell.text("-")
            : ResultsTable.Cell.number(Html.metric(m.kind(), s.value(s.lastIndex())), s.value(s.lastIndex())));
        row.add(b < 0 ? ResultsTable.Cell.text("-")
            : ResultsTable.Cell.number(Html.metric(m.kind(), s.value(b)) + " (" + s.iter(b) + ")", s.value(b)));
      }
      rows.add(row);
    }
    html.raw("<h3>Validation (mean over each set)</h3>\n").table("latest-means", new ResultsTable(columns, rows));
  }

  private static void validation(Html html, RunFolder run, List<Chart> charts) {
    html.raw("<section id=\"validation\"><h2>Validation</h2>\n");
    if (run.validationIterations().isEmpty()) {
      html.raw("<p class=\"note\">No validation yet.</p></section>\n");
      return;
    }
    html.raw("<div class=\"charts\">\n");
    for (RunFolder.Metric m : run.metrics().values()) {
      Map<String, MetricHistory.Series> lines = new LinkedHashMap<>();
      for (String set : run.sets()) {
        MetricHistory.Series s = run.history().get(RunFolder.key(set, m));
        if (s != null) {
          lines.put(set, s);
        }
      }
      if (!lines.isEmpty()) {
        String title = "Validation " + m.kind().toUpperCase(Locale.ROOT) + (m.name().equals(m.kind()) ? "" : " (" + m.name() + ")")
            + (m.protocol().isEmpty() ? "" : ", " + m.protocol()) + (m.higherIsBetter() ? "" : ", lower is better");
        chart(html, charts, Chart.of("val-" + m.name(), title, m.kind().toUpperCase(Locale.ROOT), false, lines));
      }
    }
    html.raw("</div></section>\n");
  }

  private static void training(Html html, RunFolder run, List<Chart> charts) {
    Map<String, MetricHistory.Series> g = new LinkedHashMap<>();
    Map<String, MetricHistory.Series> d = new LinkedHashMap<>();
    Map<String, MetricHistory.Series> dOut = new LinkedHashMap<>();
    Map<String, MetricHistory.Series> other = new LinkedHashMap<>();
    List<String> known = List.of("lr", "epoch", "time_per_iter", "data_time", "peak_rss_mb");
    for (Map.Entry<String, MetricHistory.Series> e : run.history().series().entrySet()) {
      String k = e.getKey();
      if (k.startsWith("l_d_")) {
        d.put(k, e.getValue());
      } else if (k.startsWith("l_")) {
        g.put(k, e.getValue());
      } else if (k.startsWith("out_d_")) {
        dOut.put(k, e.getValue());
      } else if (!known.contains(k) && !isValidationKey(run, k)) {
        other.put(k, e.getValue());
      }
    }
    html.raw("<section id=\"training\"><h2>Losses, learning rate, speed</h2>\n");
    if (g.isEmpty() && d.isEmpty()) {
      html.raw("<p class=\"note\">No losses logged yet (they are logged every logger.print_freq iterations).</p>\n");
    }
    html.raw("<div class=\"charts\">\n");
    boolean gan = !d.isEmpty();
    chart(html, charts, g.isEmpty() ? null : Chart.of("loss-g", gan ? "Generator losses" : "Loss", "loss", true, g));
    chart(html, charts, d.isEmpty() ? null : Chart.of("loss-d", "Discriminator losses", "loss", true, d));
    chart(html, charts, dOut.isEmpty() ? null : Chart.of("out-d", "Discriminator outputs (mean logits)", "logit", false, dOut));
    chart(html, charts, single(run, "lr", "lr", "Learning rate", "lr", true));
    Map<String, MetricHistory.Series> speed = new LinkedHashMap<>();
    for (String k : List.of("time_per_iter", "data_time")) { // a step's time, and the part of it spent waiting for data
      if (run.history().get(k) != null) {
        speed.put(k, run.history().get(k));
      }
    }
    chart(html, charts, speed.isEmpty() ? null : Chart.of("speed", "Time per iteration", "s/iter", false, speed));
    chart(html, charts, single(run, "peak_rss_mb", "memory", "Peak resident memory", "MB", false));
    chart(html, charts, other.isEmpty() ? null : Chart.of("other", "Other values", "value", false, other));
    html.raw("</div></section>\n");
  }

  private static boolean isValidationKey(RunFolder run, String key) {
    for (String set : run.sets()) {
      for (RunFolder.Metric m : run.metrics().values()) {
        if (RunFolder.key(set, m).equals(key)) {
          return true;
        }
      }
    }
    return false;
  }

  private static Chart single(RunFolder run, String key, String id, String title, String yLabel, boolean log) {
    MetricHistory.Series s = run.history().get(key);
    return s == null ? null : Chart.of(id, title, yLabel, log, Map.of(key, s));
  }

  static void chart(Html html, List<Chart> charts, Chart c) {
    if (c == null) {
      return;
    }
    charts.add(c);
    html.raw("<div class=\"chart-box\"><h3><span>").text(c.title()).raw("</span>");
    if (c.logToggle()) {
      html.raw("<label><input type=\"checkbox\" class=\"logscale\" data-chart=\"").text(c.id())
          .raw("\"> log scale</label>");
    }
    html.raw("</h3>");
    if (c.averaged() > 1) {
      html.raw("<p class=\"note\">each point is the mean of ").text(String.valueOf(c.averaged()))
          .raw(" logged values</p>");
    }
    html.raw("<div class=\"chart\" id=\"").text(c.id()).raw("\"></div></div>\n");
  }

  private static void images(Html html, RunFolder run) {
    html.raw("<section id=\"images\"><h2>Validation images</h2>\n");
    long latest = run.latestValidation();
    perImageTable(html, run, run.validationIterations());
    if (run.images().isEmpty()) {
      html.raw("<p class=\"note\">No validation images saved (val.save_img).</p></section>\n");
      return;
    }
    RunFolder.Best best = run.best();
    boolean refsMissing = false;
    List<String> setOrder = new ArrayList<>(run.sets()); // the config's order, then any other folder
    run.images().sets().keySet().stream().filter(k -> !setOrder.contains(k)).forEach(setOrder::add);
    for (String setName : setOrder) {
      Map<String, ValidationImages.Samples> samples = run.images().sets().get(setName);
      if (samples == null) {
        continue;
      }
      for (Map.Entry<String, ValidationImages.Samples> img : samples.entrySet()) {
        ValidationImages.Samples s = img.getValue();
        Map.Entry<Long, Path> last = s.srAtOrBefore(latest);
        if (last == null) {
          continue;
        }
        List<Html.Layer> layers = new ArrayList<>();
        if (s.bicubic() != null) {
          layers.add(new Html.Layer("bicubic", Html.href(run.dir(), s.bicubic())));
        }
        Path bestFile = best == null ? null : s.sr().get(best.iteration());
        if (bestFile != null && best.iteration() != last.getKey()) {
          layers.add(new Html.Layer("SR, best (iteration " + best.iteration() + ")", Html.href(run.dir(), bestFile)));
        }
        int shown = layers.size();
        layers.add(new Html.Layer("SR, " + (bestFile != null && best.iteration() == last.getKey() ? "latest = best" : "latest")
            + " (iteration " + last.getKey() + ")", Html.href(run.dir(), last.getValue())));
        if (s.hr() != null) {
          layers.add(new Html.Layer("HR", Html.href(run.dir(), s.hr())));
        }
        refsMissing |= s.hr() == null || s.bicubic() == null;
        html.comparison(new Html.Comparison(setName + " / " + img.getKey(), layers, shown));
      }
    }
    if (refsMissing) {
      html.raw("<p class=\"note\">Some images have no reference: the trainer writes <code>&lt;image&gt;_hr.png</code> and "
          + "<code>&lt;image&gt;_bicubic.png</code> next to the SR outputs; runs of older versions lack them.</p>\n");
    }
    html.raw("</section>\n");
  }

  /** The values of each image at the latest validation, from its validation record (or the means alone). */
  private static void perImageTable(Html html, RunFolder run, List<Long> its) {
    if (its.isEmpty()) {
      return;
    }
    long latest = its.get(its.size() - 1);
    ValidationRecord rec;
    try {
      rec = ValidationRecord.read(run.dir(), latest);
    } catch (IOException e) {
      html.raw("<p class=\"warn\">").text(ValidationRecord.file(run.dir(), latest) + " could not be read: "
          + e.getMessage()).raw("</p>\n");
      rec = null;
    }
    if (rec == null) {
      html.raw("<p class=\"note\">Per-image values of the latest validation: this run has no ")
          .text("validation/" + ValidationRecord.file(run.dir(), latest).getFileName())
          .raw(" (written by newer trainers); the means are in the summary.</p>\n");
      return;
    }
    for (Map.Entry<String, Map<String, Map<String, Double>>> set : rec.sets().entrySet()) {
      List<String> metricNames = new ArrayList<>();
      set.getValue().values().forEach(v -> v.keySet().forEach(k -> {
        if (!metricNames.contains(k)) {
          metricNames.add(k);
        }
      }));
      List<String> columns = new ArrayList<>(List.of("image"));
      columns.addAll(metricNames);
      List<List<ResultsTable.Cell>> rows = new ArrayList<>();
      for (Map.Entry<String, Map<String, Double>> img : set.getValue().entrySet()) {
        List<ResultsTable.Cell> row = new ArrayList<>(List.of(ResultsTable.Cell.text(img.getKey())));
        for (String m : metricNames) {
          Double v = img.getValue().get(m);
          row.add(v == null ? ResultsTable.Cell.text("-") : ResultsTable.Cell.number(Html.metric(run.kindOf(m), v), v));
        }
        rows.add(row);
      }
      html.raw("<h3>").text(set.getKey() + ", iteration " + rec.iteration()).raw("</h3>\n")
          .table("images-" + set.getKey(), new ResultsTable(columns, rows));
    }
  }

  private static void checkpoints(Html html, RunFolder run) {
    html.raw("<section id=\"checkpoints\"><h2>Checkpoints and models</h2>\n");
    if (run.checkpoints().isEmpty()) {
      html.raw("<p class=\"note\">No checkpoints yet.</p>\n");
    } else {
      html.raw("<p>");
      for (String c : run.checkpoints()) {
        html.raw("<a href=\"checkpoints/").text(c).raw("\">").text(c).raw("</a> ");
      }
      html.raw("</p>\n");
    }
    for (String m : List.of("net_g_final.zip", "net_g_ema_final.zip")) {
      if (Files.isRegularFile(run.dir().resolve("models").resolve(m))) {
        html.raw("<p>final model: <a href=\"models/").text(m).raw("\">models/").text(m).raw("</a></p>\n");
      }
    }
    html.raw("</section>\n");
  }

  private static void provenance(Html html, RunFolder run) {
    html.raw("<section id=\"config\"><h2>Config and provenance</h2>\n");
    if (!run.log().setup().isEmpty()) {
      html.raw("<h3>Set-up (from train.log)</h3><pre>");
      run.log().setup().forEach(l -> html.text(l).raw("\n"));
      html.raw("</pre>\n");
    }
    if (!run.configText().isEmpty()) {
      html.raw("<p class=\"note\">config.yml SHA-256 <code>").text(sha256(run.configText()))
          .raw("</code> (checkpoints record the hash of the config they were written with)</p>\n")
          .raw("<details><summary>resolved config (config.yml, every default filled in)</summary><pre id=\"config-yml\">")
          .text(run.configText()).raw("</pre></details>\n");
    }
    if (!run.log().tail().isEmpty()) {
      html.raw("<details open><summary>last lines of train.log</summary><pre id=\"log-tail\">");
      run.log().tail().forEach(l -> html.text(l).raw("\n"));
      html.raw("</pre></details>\n");
    }
    html.raw("</section>\n");
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void fact(Html html, String name, String value) {
    html.raw("<dt>").text(name).raw("</dt><dd>").text(value).raw("</dd>\n");
  }

  /** An ISO-8601 time as a time element (the page adds "N min ago" when {@code ago}). */
  private static String time(String iso, boolean ago) {
    return "<time datetime=\"" + Html.esc(iso) + "\"" + (ago ? " data-ago" : "") + ">" + Html.esc(iso) + "</time>";
  }
}
