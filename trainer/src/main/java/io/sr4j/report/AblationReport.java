package io.sr4j.report;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The report of an ablation, {@code <dir>/report.html}: the results table (sortable), the validation curves of every
 * variant overlaid (one chart per set and metric; a shared legend whose entries show or hide a variant's curve in
 * every chart), and a crop grid with one column per variant between the bicubic and HR crops of each validation
 * image (each variant's latest validation). Inputs are parameters: the variants' run folders and the table rows.
 */
public final class AblationReport {
  /** One variant: its label (legend, crop grid) and its run folder. */
  public record Variant(String label, Path runDir) {}

  /** The page's data for its script: the charts (one line per variant, in legend order). */
  record Data(String kind, List<Chart> charts) {}

  private AblationReport() {}

  /** Writes {@code dir/report.html} (atomically) and returns its path. */
  public static Path write(Path dir, String title, List<Variant> variants, ResultsTable table) {
    if (variants.isEmpty()) {
      throw new IllegalArgumentException("an ablation report needs at least one variant");
    }
    List<RunFolder> runs = new ArrayList<>();
    for (Variant v : variants) {
      runs.add(RunFolder.read(v.runDir()));
    }
    Html html = new Html(title + " - sr4j ablation report");
    html.raw("<header class=\"top\"><div class=\"crumbs\">ablation report</div><h1>").text(title).raw("</h1>\n")
        .raw("<nav class=\"sections\"><a href=\"#results\">results</a><a href=\"#curves\">validation curves</a>"
            + "<a href=\"#crops\">crop grid</a></nav></header>\n<main>\n");
    html.raw("<section id=\"results\"><h2>Results</h2><p class=\"note\">Click a column header to sort.</p>\n")
        .table("results", table);
    html.raw("<p class=\"note\">Run reports: ");
    for (int i = 0; i < variants.size(); i++) {
      html.raw(i == 0 ? "" : " &middot; ").raw("<a href=\"")
          .text(Html.href(dir, variants.get(i).runDir().resolve("report.html"))).raw("\">").text(variants.get(i).label())
          .raw("</a>");
    }
    html.raw("</p></section>\n");

    List<Chart> charts = curves(html, variants, runs);
    crops(html, dir, variants, runs);
    html.raw("</main>\n<footer>generated ").text(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
        .raw(" by sr4j</footer>\n");
    Path out = dir.resolve("report.html");
    html.write(out, new Data("ablation", charts), true);
    return out;
  }

  private static List<Chart> curves(Html html, List<Variant> variants, List<RunFolder> runs) {
    html.raw("<section id=\"curves\"><h2>Validation curves</h2>\n<div class=\"run-legend\" id=\"run-legend\">");
    for (int i = 0; i < variants.size(); i++) {
      html.raw("<button type=\"button\" aria-pressed=\"true\" data-series=\"").text(String.valueOf(i + 1))
          .raw("\"><span class=\"swatch\" style=\"background:").text(Chart.PALETTE.get(i % Chart.PALETTE.size()))
          .raw("\"></span>").text(variants.get(i).label()).raw("</button>");
    }
    html.raw("</div><p class=\"note\">Click a variant to hide or show its curve in every chart.</p>\n<div class=\"charts\">\n");
    Map<String, RunFolder.Metric> keys = new LinkedHashMap<>(); // set_metric of any variant
    for (RunFolder r : runs) {
      for (String set : r.sets()) {
        for (RunFolder.Metric m : r.metrics().values()) {
          if (r.history().get(RunFolder.key(set, m)) != null) {
            keys.putIfAbsent(RunFolder.key(set, m), m);
          }
        }
      }
    }
    List<Chart> charts = new ArrayList<>();
    for (Map.Entry<String, RunFolder.Metric> k : keys.entrySet()) {
      Map<String, MetricHistory.Series> lines = new LinkedHashMap<>();
      for (int i = 0; i < runs.size(); i++) {
        lines.put(variants.get(i).label(), runs.get(i).history().get(k.getKey()));
      }
      RunFolder.Metric m = k.getValue();
      String title = k.getKey() + (m.protocol().isEmpty() ? "" : " (" + m.protocol() + ")")
          + (m.higherIsBetter() ? "" : ", lower is better");
      RunReport.chart(html, charts, Chart.of("abl-" + k.getKey().replaceAll("[^A-Za-z0-9_-]", "-"), title,
          m.kind().toUpperCase(Locale.ROOT), false, lines));
    }
    html.raw("</div></section>\n");
    return charts;
  }

  private static void crops(Html html, Path dir, List<Variant> variants, List<RunFolder> runs) {
    html.raw("<section id=\"crops\" class=\"crop-grid\"><h2>Crop grid</h2><p class=\"note\">Each variant at its latest "
        + "validation, at full resolution; the views pan together.</p>\n");
    Set<String> images = new LinkedHashSet<>(); // "set/image" of any variant
    for (RunFolder r : runs) {
      r.images().sets().forEach((set, imgs) -> imgs.keySet().forEach(img -> images.add(set + "/" + img)));
    }
    if (images.isEmpty()) {
      html.raw("<p class=\"note\">No variant saved validation images.</p>\n");
    }
    for (String id : images) {
      String set = id.substring(0, id.indexOf('/'));
      String image = id.substring(id.indexOf('/') + 1);
      Path hr = null;
      Path bicubic = null;
      List<Html.Layer> srs = new ArrayList<>();
      for (int i = 0; i < runs.size(); i++) {
        ValidationImages.Samples s = runs.get(i).images().sets().getOrDefault(set, Map.of()).get(image);
        Map.Entry<Long, Path> last = s == null ? null : s.srAtOrBefore(runs.get(i).latestValidation());
        if (last == null) {
          continue;
        }
        hr = hr == null ? s.hr() : hr;
        bicubic = bicubic == null ? s.bicubic() : bicubic;
        srs.add(new Html.Layer(variants.get(i).label() + " (iteration " + last.getKey() + ")",
            Html.href(dir, last.getValue())));
      }
      List<Html.Layer> layers = new ArrayList<>();
      if (bicubic != null) {
        layers.add(new Html.Layer("bicubic", Html.href(dir, bicubic)));
      }
      int shown = layers.size();
      layers.addAll(srs);
      if (hr != null) {
        layers.add(new Html.Layer("HR", Html.href(dir, hr)));
      }
      html.comparison(new Html.Comparison(set + " / " + image, layers, shown));
    }
    html.raw("</section>\n");
  }
}
