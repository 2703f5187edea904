package io.sr4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sr4j.data.BadInputException;
import io.sr4j.data.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reports of fixture run folders: what the page holds, older and damaged runs, relative links, bounded reading. */
class RunReportTest {
  @TempDir Path dir;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DATA = Pattern.compile(
      "<script type=\"application/json\" id=\"sr4j-data\">(.*?)</script>", Pattern.DOTALL);
  private static final Pattern SRC = Pattern.compile("src=\"([^\"]*)\"");

  static final String GAN_CONFIG = """
      name: %s
      model_type: ESRGANModel
      scale: 4
      datasets:
        val:
        - {name: Set5, dataroot_gt: Set5}
        - {name: Set14, dataroot_gt: Set14}
      network_g: {type: rrdbnet, options: {num_block: 6}}
      network_d: {type: vgg128, options: {input_size: 64}}
      train: {total_iter: 40}
      val:
        metrics:
          psnr: {type: calculate_psnr, crop_border: 4, test_y_channel: true}
          niqe: {type: calculate_niqe, crop_border: 4}
      """;

  /** A GAN run as an older trainer left it: no status.json, no references, iterations not zero-padded. */
  static Path olderGanRun(Path experiments, String name, double psnrShift) throws IOException {
    Path run = experiments.resolve(name);
    Files.createDirectories(run);
    Files.writeString(run.resolve("config.yml"), GAN_CONFIG.formatted(name));
    List<String> metrics = new ArrayList<>();
    for (int it = 10; it <= 40; it += 10) {
      metrics.add(ReportFixtures.metrics(it, "l_g_pix", 0.02 / it, "l_g_percep", 1.5 - it / 100.0, "l_g_gan", 0.7,
          "l_d_real", 0.6, "l_d_fake", 0.65, "out_d_real", 0.3, "out_d_fake", -0.2, "lr", 1e-4, "epoch", 0.0,
          "time_per_iter", 0.5));
      if (it % 20 == 0) {
        metrics.add(ReportFixtures.metrics(it, "Set5_psnr", 28.0 + psnrShift - it / 100.0, "Set5_niqe", 6.1,
            "Set14_psnr", 25.0 + psnrShift, "Set14_niqe", it == 20 ? "NaN" : 7.25));
      }
    }
    ReportFixtures.lines(run.resolve("metrics.jsonl"), metrics);
    ReportFixtures.lines(run.resolve("train.log"), List.of(
        "2026-01-02 10:00:00 loss: ESRGAN <b>losses</b>",
        "2026-01-02 10:00:01 network: rrdbnet",
        "2026-01-02 10:01:00 [iter 10/40] l_g_pix: 0.002",
        "2026-01-02 10:04:00 done: " + run.resolve("models/net_g_final.zip"),
        "2026-01-02 10:04:01 report.html: written 3 times, 0.12 s in all"));
    for (String image : List.of("baby", "bird")) {
      for (int it : new int[] {20, 40}) {
        ImageFiles.write(ReportFixtures.pattern(48, 40, it / 40f), run.resolve("visualization/Set5/" + image + "_" + it + ".png"));
      }
    }
    return run;
  }

  static JsonNode data(Path page) throws IOException {
    Matcher m = DATA.matcher(Files.readString(page));
    assertTrue(m.find(), "the page has its data block");
    return JSON.readTree(m.group(1));
  }

  static Map<String, List<String>> chartLines(JsonNode data) {
    Map<String, List<String>> charts = new LinkedHashMap<>();
    for (JsonNode c : data.get("charts")) {
      List<String> labels = new ArrayList<>();
      c.get("lines").forEach(l -> labels.add(l.get("label").asText()));
      charts.put(c.get("id").asText(), labels);
    }
    return charts;
  }

  static List<String> sources(Path page) throws IOException {
    List<String> srcs = new ArrayList<>();
    Matcher m = SRC.matcher(Files.readString(page));
    while (m.find()) {
      srcs.add(m.group(1));
    }
    return srcs;
  }

  @Test
  void ganRunOfAnOlderTrainerGetsEveryChartAndItsStateFromTheLog() throws IOException {
    Path run = olderGanRun(dir, "esrgan_old", 0);
    Path page = RunReport.write(run);
    String html = Files.readString(page);

    assertEquals(Map.of(
        "val-psnr", List.of("Set5", "Set14"), "val-niqe", List.of("Set5", "Set14"),
        "loss-g", List.of("l_g_pix", "l_g_percep", "l_g_gan"), "loss-d", List.of("l_d_real", "l_d_fake"),
        "out-d", List.of("out_d_real", "out_d_fake"), "lr", List.of("lr"), "speed", List.of("time_per_iter")),
        chartLines(data(page)));
    JsonNode niqe = data(page).get("charts").get(1);
    assertEquals("val-niqe", niqe.get("id").asText());
    assertTrue(niqe.get("lines").get(1).get("values").get(0).isNull(), "a NaN NIQE is not drawn");
    assertTrue(html.contains("state state-finished"), "finished: the log ends with the trainer's done line");
    assertTrue(html.contains("4 min 01 s (first to last line of train.log)"), "wall time from the log");
    assertTrue(html.contains("loss: ESRGAN &lt;b&gt;losses&lt;/b&gt;"), "log text is escaped");
    assertTrue(html.contains("Set5_psnr 27.800 at iteration 20"), "best: the first PSNR of the first set");
    // latest (40) and best (20) SR outputs of each saved image; no references, which the page says
    assertTrue(html.contains("Some images have no reference"));
    assertEquals(List.of("visualization/Set5/baby_20.png", "visualization/Set5/baby_40.png",
        "visualization/Set5/baby_20.png", "visualization/Set5/baby_40.png",
        "visualization/Set5/bird_20.png", "visualization/Set5/bird_40.png",
        "visualization/Set5/bird_20.png", "visualization/Set5/bird_40.png"), sources(page));
    assertTrue(html.contains("no validation/iter_00000040.json"), "per-image values are missing, and said so");
  }

  @Test
  void statusReferencesPaddedNamesAndPerImageValuesAreShown() throws IOException {
    Path run = dir.resolve("srcnn_new");
    ReportFixtures.lines(run.resolve("config.yml"), List.of("name: srcnn_new", "model_type: SRModel", "scale: 3",
        "datasets: {val: {name: Set5, dataroot_gt: Set5}}", "val: {metrics: {psnr: {type: calculate_psnr}, "
            + "ssim: {type: calculate_ssim}}}"));
    ReportFixtures.lines(run.resolve("metrics.jsonl"), List.of(
        ReportFixtures.metrics(100, "l_pix", 0.01, "lr", 1e-3, "time_per_iter", 0.25, "peak_rss_mb", 900.0),
        ReportFixtures.metrics(100, "Set5_psnr", 30.5, "Set5_ssim", 0.86),
        ReportFixtures.metrics(200, "l_pix", 0.008, "lr", 1e-3, "time_per_iter", 0.2, "peak_rss_mb", 1500.25),
        ReportFixtures.metrics(200, "Set5_psnr", 30.9, "Set5_ssim", 0.87)));
    ReportFixtures.status(run, "failed", 200, 1000, 1400.0, "stopped: loss is NaN at iteration 201");
    Path vis = run.resolve("visualization/Set5");
    for (String f : List.of("head_00000100.png", "head_00000200.png", "head_hr.png", "head_bicubic.png")) {
      ImageFiles.write(ReportFixtures.pattern(30, 30, 0.5f), vis.resolve(f));
    }
    Map<String, Map<String, Map<String, Double>>> values = new LinkedHashMap<>();
    values.put("Set5", new LinkedHashMap<>(Map.of("head", Map.of("psnr", 31.25))));
    ValidationRecord.of(200, values).write(run);

    Path page = RunReport.write(run);
    String html = Files.readString(page);
    assertTrue(html.contains("state state-failed\">failed"), "state from status.json");
    assertTrue(html.contains("stopped: loss is NaN at iteration 201"), "its message");
    assertTrue(html.contains("200 / 1000 (20%)"), "progress");
    assertTrue(html.contains("5 min 30 s"), "wall time from status.json");
    assertTrue(html.contains("1500 MB resident"), "peak memory: the larger of status.json and metrics.jsonl");
    assertTrue(html.contains("0.200 s/iter (5.00 it/s) lately"), "speed");
    assertTrue(html.contains("<td class=\"text\">head</td><td data-sort=\"31.25\">31.250</td>"), "per-image value: " + html);
    assertEquals(List.of("visualization/Set5/head_bicubic.png", "visualization/Set5/head_00000200.png",
        "visualization/Set5/head_hr.png", "visualization/Set5/head_bicubic.png",
        "visualization/Set5/head_00000200.png", "visualization/Set5/head_hr.png"), sources(page),
        "latest = best: bicubic, SR, HR (side by side, then the flip view)");
    assertFalse(html.contains("Some images have no reference"));
  }

  @Test
  void damagedFilesAreNamedInThePageAndLongLinesAreNotHeld() throws IOException {
    Path run = olderGanRun(dir, "damaged", 0);
    Files.writeString(run.resolve("status.json"), "{\"format\": 1, \"state\": ");
    String longLine = "{\"iter\": 50, \"l_g_pix\": " + "1".repeat(MetricHistory.MAX_LINE_CHARS) + "}\n";
    Files.writeString(run.resolve("metrics.jsonl"), Files.readString(run.resolve("metrics.jsonl")) + "not json\n"
        + longLine + "{\"iter\": 60, \"l_g_pix\":", java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
    MetricHistory h = MetricHistory.read(run.resolve("metrics.jsonl"));
    assertEquals(3, h.skippedLines(), "a line that is not JSON, an overlong one and an unfinished last one");
    assertEquals(40, h.lastIteration());
    String html = Files.readString(RunReport.write(run));
    assertTrue(html.contains("status.json could not be read"), "named, not fatal");
    assertTrue(html.contains("3 line(s) of metrics.jsonl are not metric records"));
    assertTrue(html.contains("state state-finished"), "the state falls back to the log");
  }

  @Test
  void pagesLinkImagesRelativelySoACopiedFolderStillShowsThem() throws IOException {
    Path run = olderGanRun(dir.resolve("a b"), "run#1", 0);
    String html = Files.readString(RunReport.write(run));
    for (String link : sources(run.resolve("report.html"))) {
      assertFalse(link.contains(dir.toString()) || link.startsWith("/") || link.contains(":"), "relative: " + link);
    }
    assertTrue(html.contains("src=\"visualization/Set5/baby_40.png\""));
    assertEquals("../a%20b/r%23un%3A1.png", Html.href(dir.resolve("x"), dir.resolve("a b/r#un:1.png")),
        "spaces, # and : quoted");
  }

  @Test
  void aSingleImageGetsItsCropWithoutAFlipView() throws IOException {
    Path run = dir.resolve("one");
    ReportFixtures.lines(run.resolve("metrics.jsonl"), List.of(ReportFixtures.metrics(10, "Set5_psnr", 30.0)));
    ImageFiles.write(ReportFixtures.pattern(20, 20, 0.1f), run.resolve("visualization/Set5/baby_10.png"));
    Path page = RunReport.write(run);
    assertEquals(List.of("visualization/Set5/baby_10.png"), sources(page));
    assertFalse(Files.readString(page).contains("class=\"flip\""), "nothing to flip between");
    assertTrue(Files.readString(page).contains("SR, latest = best (iteration 10)"), "best from the inferred PSNR key");
  }

  @Test
  void longHistoriesAreAveragedDownToABoundedNumberOfPoints() throws IOException {
    Path run = dir.resolve("long");
    List<String> lines = new ArrayList<>();
    for (int it = 1; it <= 5000; it++) {
      lines.add(ReportFixtures.metrics(it, "l_pix", it % 2 == 0 ? 1.0 : 3.0));
    }
    ReportFixtures.lines(run.resolve("metrics.jsonl"), lines);
    Path page = RunReport.write(run);
    JsonNode loss = data(page).get("charts").get(0);
    assertEquals(3, loss.get("averaged").asInt());
    assertEquals(1667, loss.get("x").size());
    assertEquals(3, loss.get("x").get(0).asLong(), "a point sits at the last iteration it averages");
    assertEquals(7.0 / 3, loss.get("lines").get(0).get("values").get(0).asDouble(), 1e-12);
    assertTrue(Files.readString(page).contains("each point is the mean of 3 logged values"));
  }

  @Test
  void validationRecordsRoundTripWithNonFiniteValuesAsNull() throws IOException {
    Map<String, Map<String, Map<String, Double>>> values = new LinkedHashMap<>();
    Map<String, Double> baby = new LinkedHashMap<>();
    baby.put("psnr", 33.5);
    baby.put("niqe", Double.NaN);
    values.put("Set5", Map.of("baby", baby));
    ValidationRecord.of(600, values).write(dir);
    assertTrue(Files.isRegularFile(dir.resolve("validation/iter_00000600.json")));
    ValidationRecord back = ValidationRecord.read(dir, 600);
    assertEquals(1, back.format());
    assertEquals(33.5, back.sets().get("Set5").get("baby").get("psnr"));
    assertNull(back.sets().get("Set5").get("baby").get("niqe"));
    assertNull(ValidationRecord.read(dir, 1200), "no record: null");
  }

  @Test
  void aFolderThatIsNoRunIsRefusedWithItsName() {
    BadInputException e = assertThrows(BadInputException.class, () -> RunReport.write(dir));
    assertTrue(e.getMessage().startsWith(dir + ": not a run folder"), e.getMessage());
  }
}
