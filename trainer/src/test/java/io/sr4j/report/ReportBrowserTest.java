package io.sr4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sr4j.train.RunSetup;
import io.sr4j.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reports in a real browser (headless Chromium): reports of two short real training runs, their ablation report
 * and the experiments index load without console errors and without any network request, every chart draws every
 * logged value, the image comparison shows its crops and flips, the log-scale switch and the ablation legend work.
 */
class ReportBrowserTest {
  @TempDir static Path dir;
  static HeadlessChromium browser;
  static Path experiments;
  static Path runA;
  static Path runB;

  /** Counts, per chart, the values in the chart's data and the canvas pixels drawn in each line's colour. */
  private static final String CHART_STATE = """
      (() => {
        const out = {};
        for (const spec of sr4jReport.data.charts) {
          const u = sr4jReport.charts[spec.id];
          if (!u) { out[spec.id] = null; continue; }
          const c = u.ctx.canvas, img = u.ctx.getImageData(0, 0, c.width, c.height).data;
          out[spec.id] = {
            log: u.scales.y.distr === 3,
            lines: spec.lines.map((l, i) => {
              const r = parseInt(l.color.slice(1, 3), 16), g = parseInt(l.color.slice(3, 5), 16),
                  b = parseInt(l.color.slice(5, 7), 16);
              let pixels = 0;
              for (let p = 0; p < img.length; p += 4) {
                if (img[p + 3] > 200 && Math.abs(img[p] - r) < 10 && Math.abs(img[p + 1] - g) < 10
                    && Math.abs(img[p + 2] - b) < 10) pixels++;
              }
              return {label: l.label, show: u.series[i + 1].show,
                  values: u.data[i + 1].filter(v => v != null).length, pixels: pixels};
            })
          };
        }
        return out;
      })()""";

  /** Per comparison: its crops (label, loaded, drawn at natural size) and the label of the visible flip layer. */
  private static final String COMPARISONS = """
      [...document.querySelectorAll('%s .cmp')].map(c => ({
        title: c.querySelector('.cmp-head b').textContent,
        crops: [...c.querySelectorAll('.crop')].map(f => {
          const i = f.querySelector('img');
          return {label: f.querySelector('figcaption').textContent, loaded: i.complete && i.naturalWidth > 0,
              fullSize: Math.round(i.getBoundingClientRect().width) === i.naturalWidth,
              centred: f.querySelector('.vp').scrollLeft > 0};
        }),
        visible: [...c.querySelectorAll('.flip img')].filter(i => getComputedStyle(i).visibility === 'visible')
            .map(i => i.dataset.label)
      }))""";

  @BeforeAll
  static void trainAndReport() throws Exception {
    browser = HeadlessChromium.launch(dir.resolve("profile"));
    experiments = dir.resolve("experiments");
    runA = train("tiny_a", "0.001");
    runB = train("tiny_b", "0.0001");
    for (Path run : List.of(runA, runB)) {
      assertTrue(Files.isRegularFile(run.resolve("report.html")), "the trainer wrote " + run + "/report.html");
      assertTrue(Files.isRegularFile(ValidationRecord.file(run, 8)), "the trainer wrote the validation record");
      ReportFixtures.references(run, "Set5", 3, 2);
    }
    // above any resident size the training JVM can reach, so the status value is the maximum the page shows
    ReportFixtures.status(runA, "running", 8, 8, 54321.4, "[validation 8] running");
    RunReport.write(runA);
    RunReport.write(runB);
    ExperimentsIndex.write(experiments, List.of(RunFolder.read(runA), RunFolder.read(runB)));
  }

  @AfterAll
  static void closeBrowser() throws IOException, InterruptedException {
    if (browser != null) {
      browser.close();
    }
  }

  /** A tiny SRCNN x3 run on the bundled T91, validated on Set5 with PSNR, SSIM and NIQE, two samples saved. */
  private static Path train(String name, String lr) throws IOException {
    Path yml = dir.resolve(name + ".yml");
    Files.writeString(yml, """
        name: %s
        scale: 3
        manual_seed: 5
        datasets:
          train: {type: SRCNNSubImageDataset, dataroot_gt: T91, batch_size_per_gpu: 16, num_worker_per_gpu: 1}
          val: {name: Set5, dataroot_gt: Set5}
        network_g: {type: srcnn, scale: 3, num_in_ch: 1, kernel_sizes: [5, 1, 3], num_feat: [16, 8], padding: valid}
        path: {experiments_root: %s}
        train:
          optim_g: {type: Adam, lr: %s}
          total_iter: 8
          pixel_opt: {type: MSELoss}
        val:
          val_freq: 4
          save_img: true
          num_save_img: 2
          metrics:
            psnr: {type: calculate_psnr}
            ssim: {type: calculate_ssim}
            niqe: {type: calculate_niqe}
        logger: {print_freq: 2, save_checkpoint_freq: 8, keep_checkpoints: 1}
        """.formatted(name, experiments, lr));
    return new Trainer(RunSetup.prepare(yml, List.of(), null), line -> { }).run(null).runDir();
  }

  private static void assertCleanLoad(String page) {
    assertEquals(List.of(), browser.errors(), page + ": console errors");
    List<String> remote = new ArrayList<>();
    for (String url : browser.requests()) {
      if (!url.startsWith("file:") && !url.startsWith("data:") && !url.startsWith("about:")) {
        remote.add(url);
      }
    }
    assertEquals(List.of(), remote, page + ": requests that are not local files");
  }

  @Test
  void runReportDrawsEveryLoggedValueAndFlipsBetweenCrops() throws Exception {
    browser.open(runA.resolve("report.html").toUri().toString());
    assertCleanLoad("run report");

    Map<String, Integer> counts = ReportFixtures.valueCounts(runA.resolve("metrics.jsonl"));
    Map<String, String> chartOfKey = Map.of("Set5_psnr", "val-psnr", "Set5_ssim", "val-ssim", "Set5_niqe", "val-niqe",
        "l_pix", "loss-g", "lr", "lr", "time_per_iter", "speed", "peak_rss_mb", "memory");
    JsonNode charts = browser.eval(CHART_STATE);
    assertEquals(chartOfKey.size(), charts.size(), "charts: " + charts);
    for (Map.Entry<String, String> k : chartOfKey.entrySet()) {
      JsonNode line = charts.get(k.getValue()).get("lines").get(0);
      assertEquals(counts.get(k.getKey()), line.get("values").asInt(), k.getKey() + " values in chart " + k.getValue());
      assertTrue(line.get("pixels").asInt() > 20, k.getKey() + " is drawn: " + line);
    }
    assertEquals(2, counts.get("Set5_psnr"), "validations at 4 and 8");

    // hovering the PSNR chart shows the value under the cursor in its legend
    String legendValue = "document.querySelector('#val-psnr .u-legend .u-series:nth-child(2) .u-value').textContent";
    assertEquals("-", browser.eval(legendValue).asText());
    browser.click("#val-psnr .u-over");
    browser.eval("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
    assertTrue(browser.eval(legendValue).asText().matches("\\d+\\.\\d+"), "hover value: " + browser.eval(legendValue));

    // the loss chart switches to a log scale and still draws its line
    browser.click("input.logscale[data-chart='loss-g']");
    JsonNode loss = browser.eval(CHART_STATE).get("loss-g");
    assertTrue(loss.get("log").asBoolean(), "log scale: " + loss);
    assertTrue(loss.get("lines").get(0).get("pixels").asInt() > 20, "drawn on the log scale: " + loss);

    // one comparison per saved image: bicubic, SR (latest = best) and HR crops at full resolution
    JsonNode cmps = browser.eval(COMPARISONS.formatted("#images"));
    assertEquals(2, cmps.size(), cmps.toString());
    for (JsonNode c : cmps) {
      List<String> labels = new ArrayList<>();
      for (JsonNode crop : c.get("crops")) {
        labels.add(crop.get("label").asText());
        assertTrue(crop.get("loaded").asBoolean() && crop.get("fullSize").asBoolean() && crop.get("centred").asBoolean(),
            c.get("title") + ": " + crop);
      }
      assertEquals(List.of("bicubic", "SR, latest = best (iteration 8)", "HR"), labels);
      assertEquals("SR, latest = best (iteration 8)", c.get("visible").get(0).asText(), "the SR layer shows first");
      assertEquals(1, c.get("visible").size());
    }
    String visible = "(" + COMPARISONS.formatted("#images") + ")[0].visible.join()";
    browser.click("#images .cmp .flip .vp");
    assertEquals("HR", browser.eval(visible).asText(), "a click flips to the next layer");
    browser.press("1");
    assertEquals("bicubic", browser.eval(visible).asText(), "key 1 shows the first layer");
    browser.press("ArrowLeft");
    assertEquals("HR", browser.eval(visible).asText(), "left arrow wraps to the last layer");

    // the crops pan together
    JsonNode pan = browser.eval("""
        (async () => {
          const vps = [...document.querySelector('#images .cmp').querySelectorAll('.vp')];
          vps[0].scrollLeft = 37; vps[0].scrollTop = 41;
          await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
          return vps.map(v => v.scrollLeft + ',' + v.scrollTop);
        })()""");
    for (JsonNode p : pan) {
      assertEquals("37,41", p.asText(), "every view follows: " + pan);
    }

    // per-image values of the latest validation, state and memory from status.json
    assertEquals(5, browser.eval("document.querySelectorAll('#images-Set5 tbody tr').length").asInt());
    assertEquals("running", browser.eval("document.querySelector('h1 .state').textContent").asText());
    assertTrue(browser.eval("document.querySelector('#summary').textContent").asText().contains("54321 MB"));
    assertCleanLoad("run report after interaction");
  }

  @Test
  void ablationLegendHidesThatRunsCurveInEveryChart() throws Exception {
    ResultsTable table = new ResultsTable(List.of("variant", "Set5 PSNR"), List.of(
        List.of(ResultsTable.Cell.text("lr 1e-3"), ResultsTable.Cell.number("30.10", 30.10).emphasised()),
        List.of(ResultsTable.Cell.text("lr 1e-4"), ResultsTable.Cell.number("29.00", 29.00))));
    Path ablation = experiments.resolve("lr_ablation");
    Path page = AblationReport.write(ablation, "learning rate", List.of(
        new AblationReport.Variant("lr 1e-3", runA), new AblationReport.Variant("lr 1e-4", runB)), table);
    browser.open(page.toUri().toString());
    assertCleanLoad("ablation report");

    JsonNode charts = browser.eval(CHART_STATE);
    assertEquals(List.of("abl-Set5_psnr", "abl-Set5_ssim", "abl-Set5_niqe"), names(charts));
    for (JsonNode chart : charts) {
      for (JsonNode line : chart.get("lines")) {
        assertEquals(2, line.get("values").asInt(), line.toString());
        assertTrue(line.get("pixels").asInt() > 20, "drawn: " + chart);
      }
    }
    browser.click("#run-legend button[data-series='2']");
    for (JsonNode chart : browser.eval(CHART_STATE)) {
      JsonNode a = chart.get("lines").get(0);
      JsonNode b = chart.get("lines").get(1);
      assertFalse(b.get("show").asBoolean(), "hidden: " + b);
      assertEquals(0, b.get("pixels").asInt(), "no pixel of the hidden run's colour: " + b);
      assertTrue(a.get("show").asBoolean() && a.get("pixels").asInt() > 20, "the other run is still drawn: " + a);
    }
    browser.click("#run-legend button[data-series='2']");
    for (JsonNode chart : browser.eval(CHART_STATE)) {
      assertTrue(chart.get("lines").get(1).get("pixels").asInt() > 20, "shown again: " + chart);
    }

    // crop grid: bicubic, one column per run, HR
    JsonNode grid = browser.eval(COMPARISONS.formatted("#crops"));
    assertEquals(2, grid.size());
    List<String> labels = new ArrayList<>();
    for (JsonNode crop : grid.get(0).get("crops")) {
      labels.add(crop.get("label").asText());
      assertTrue(crop.get("loaded").asBoolean(), crop.toString());
    }
    assertEquals(List.of("bicubic", "lr 1e-3 (iteration 8)", "lr 1e-4 (iteration 8)", "HR"), labels);

    // the results table sorts
    String firstCell = "document.querySelector('#results tbody tr td').textContent";
    browser.click("#results th:nth-child(2)");
    assertEquals("lr 1e-4", browser.eval(firstCell).asText(), "ascending PSNR");
    browser.click("#results th:nth-child(2)");
    assertEquals("lr 1e-3", browser.eval(firstCell).asText(), "descending PSNR");
    assertCleanLoad("ablation report after interaction");
  }

  @Test
  void indexListsEveryRunAndSorts() throws Exception {
    browser.open(experiments.resolve("index.html").toUri().toString());
    assertCleanLoad("index");
    JsonNode rows = browser.eval("[...document.querySelectorAll('#runs tbody tr')].map(r => r.cells[0].textContent)");
    assertEquals(List.of("tiny_a", "tiny_b"), List.of(rows.get(0).asText(), rows.get(1).asText()));
    assertEquals("tiny_a/report.html", browser.eval("document.querySelector('#runs tbody a').getAttribute('href')").asText());
    browser.click("#runs th:nth-child(1)");
    browser.click("#runs th:nth-child(1)");
    assertEquals("tiny_b", browser.eval("document.querySelector('#runs tbody td').textContent").asText(), "descending");
    JsonNode heads = browser.eval("[...document.querySelectorAll('#runs th')].map(h => h.textContent)");
    assertNotEquals(-1, heads.toString().indexOf("best Set5_psnr"), heads.toString());
    assertCleanLoad("index after sorting");
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
