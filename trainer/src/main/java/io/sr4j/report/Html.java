package io.sr4j.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sr4j.data.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * A self-contained HTML page: styles, the chart library (uPlot, from its WebJar on the classpath) and the page
 * script are inlined, the page's data travels as one JSON block, and images are referenced by relative paths, so a
 * page works from a file, offline, and in a copied folder.
 */
final class Html {
  private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
  private static final String UPLOT_DIR = uplotDir();
  private static final String UPLOT_JS = resource(UPLOT_DIR + "dist/uPlot.iife.min.js");
  private static final String UPLOT_CSS = resource(UPLOT_DIR + "dist/uPlot.min.css");
  private static final String REPORT_JS = resource("io/sr4j/report/report.js");
  private static final String REPORT_CSS = resource("io/sr4j/report/report.css");

  private final StringBuilder body = new StringBuilder();
  private final String title;

  Html(String title) {
    this.title = title;
  }

  /** Appends raw markup. */
  Html raw(String markup) {
    body.append(markup);
    return this;
  }

  /** Appends escaped text. */
  Html text(String text) {
    body.append(esc(text));
    return this;
  }

  /** The page with {@code data} (serialised to JSON) for the page script. */
  String page(Object data, boolean charts) {
    StringBuilder sb = new StringBuilder(body.length() + 80_000);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(esc(title)).append("</title>\n<style>\n");
    if (charts) {
      sb.append(UPLOT_CSS).append('\n');
    }
    sb.append(REPORT_CSS).append("</style>\n</head>\n<body>\n").append(body)
        .append("\n<script type=\"application/json\" id=\"sr4j-data\">").append(json(data)).append("</script>\n");
    if (charts) {
      sb.append("<script>\n").append(UPLOT_JS).append("\n</script>\n");
    }
    sb.append("<script>\n").append(REPORT_JS).append("\n</script>\n</body></html>\n");
    return sb.toString();
  }

  /** Writes the page atomically. */
  void write(Path file, Object data, boolean charts) {
    try {
      AtomicFiles.writeString(file, page(data, charts));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** JSON that is safe inside a script element ({@code <} only occurs in strings, where it is escaped). */
  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value).replace("<", "\\u003c");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** The relative URL of {@code target} seen from a page in {@code pageDir} (each path segment percent-encoded). */
  static String href(Path pageDir, Path target) {
    Path rel = pageDir.toAbsolutePath().normalize().relativize(target.toAbsolutePath().normalize());
    StringBuilder path = new StringBuilder();
    for (Path part : rel) {
      if (path.length() > 0) {
        path.append('/');
      }
      path.append(part);
    }
    try {
      // the URI constructor quotes what a path may not hold (spaces, %, #, ?, non-ASCII)
      return new URI(null, null, path.toString(), null).toASCIIString().replace(":", "%3A");
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(target + ": cannot be referenced from " + pageDir, e);
    }
  }

  /** Renders a sortable table. */
  Html table(String id, ResultsTable table) {
    body.append("<div class=\"table-wrap\"><table class=\"sortable\" id=\"").append(esc(id)).append("\"><thead><tr>");
    boolean[] numeric = new boolean[table.columns().size()];
    for (int c = 0; c < numeric.length; c++) {
      final int col = c;
      numeric[c] = !table.rows().isEmpty()
          && table.rows().stream().allMatch(r -> r.get(col).sortValue() != null || r.get(col).text().isEmpty()
              || r.get(col).text().equals("-"));
      body.append("<th data-type=\"").append(numeric[c] ? "num\"" : "text\" class=\"text\"").append(" tabindex=\"0\">")
          .append(esc(table.columns().get(c))).append("</th>");
    }
    body.append("</tr></thead><tbody>\n");
    for (List<ResultsTable.Cell> row : table.rows()) {
      body.append("<tr>");
      for (int c = 0; c < row.size(); c++) {
        ResultsTable.Cell cell = row.get(c);
        body.append("<td");
        if (cell.sortValue() != null) {
          body.append(" data-sort=\"").append(number(cell.sortValue())).append('"');
        }
        String classes = (numeric[c] ? "" : " text") + (cell.bold() ? " best" : "");
        if (!classes.isEmpty()) {
          body.append(" class=\"").append(classes.substring(1)).append('"');
        }
        body.append('>');
        if (cell.href() != null) {
          body.append("<a href=\"").append(esc(cell.href())).append("\">").append(esc(cell.text())).append("</a>");
        } else {
          body.append(esc(cell.text()));
        }
        body.append("</td>");
      }
      body.append("</tr>\n");
    }
    body.append("</tbody></table></div>\n");
    return this;
  }

  /** One validation image: side-by-side crops of every layer at full resolution, and (for two or more) a view that flips. */
  record Comparison(String title, List<Layer> layers, int shown) {}

  /** One image of a comparison: its label and relative URL. */
  record Layer(String label, String href) {}

  Html comparison(Comparison c) {
    body.append("<div class=\"cmp\"><div class=\"cmp-head\"><b>").append(esc(c.title())).append("</b>")
        .append("<label>zoom <select class=\"cmp-zoom\"><option value=\"1\">1x</option><option value=\"2\">2x</option>")
        .append("<option value=\"4\">4x</option></select></label><span class=\"hint\">drag a view to pan");
    boolean flips = c.layers().size() > 1;
    if (flips) {
      body.append("; click the last view, or press \u2190 \u2192 or 1-").append(c.layers().size()).append(" on it, to flip");
    }
    body.append("</span></div>\n<div class=\"cmp-row\">");
    for (Layer l : c.layers()) {
      body.append("<figure class=\"crop\"><div class=\"vp\"><div class=\"stack\"><img class=\"layer\" src=\"")
          .append(esc(l.href())).append("\" alt=\"").append(esc(l.label())).append("\"></div></div><figcaption>")
          .append(esc(l.label())).append("</figcaption></figure>");
    }
    if (!flips) {
      body.append("</div></div>\n");
      return this;
    }
    body.append("<figure class=\"flip\" tabindex=\"0\" data-shown=\"").append(c.shown()).append("\"><div class=\"vp\">")
        .append("<div class=\"stack\">");
    for (int i = 0; i < c.layers().size(); i++) {
      Layer l = c.layers().get(i);
      body.append("<img class=\"layer\" data-layer=\"").append(i).append("\" data-label=\"").append(esc(l.label()))
          .append("\" src=\"").append(esc(l.href())).append("\" alt=\"").append(esc(l.label())).append("\">");
    }
    body.append("</div></div><figcaption>flip: <b class=\"flip-label\">").append(esc(c.layers().get(c.shown()).label()))
        .append("</b></figcaption></figure></div></div>\n");
    return this;
  }

  /** A validation value as logs and papers print it: PSNR and NIQE with 3 decimals, SSIM with 4. */
  static String metric(String kind, double v) {
    if (!Double.isFinite(v)) {
      return "-";
    }
    return switch (kind) {
      case "psnr", "niqe" -> String.format(Locale.ROOT, "%.3f", v);
      case "ssim", "lpips" -> String.format(Locale.ROOT, "%.4f", v);
      default -> number(v);
    };
  }

  static String number(double v) {
    if (!Double.isFinite(v)) {
      return "-";
    }
    double a = Math.abs(v);
    if (a != 0 && (a < 1e-3 || a >= 1e6)) {
      return String.format(Locale.ROOT, "%.4g", v);
    }
    return String.format(Locale.ROOT, a >= 100 ? "%.2f" : a >= 1 ? "%.4f" : "%.5f", v).replaceAll("(\\.\\d*?)0+$", "$1")
        .replaceAll("\\.$", "");
  }

  private static String uplotDir() {
    Properties p = new Properties();
    try (InputStream in = Html.class.getClassLoader()
        .getResourceAsStream("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the uPlot WebJar (org.webjars.npm:uplot) is not on the classpath");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "META-INF/resources/webjars/uplot/" + p.getProperty("version") + "/";
  }

  private static String resource(String name) {
    try (InputStream in = Html.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the classpath");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (text.toLowerCase(Locale.ROOT).contains("</script") || text.toLowerCase(Locale.ROOT).contains("</style")) {
        throw new IllegalStateException(name + " cannot be inlined: it contains a closing script or style tag");
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
