package io.sr4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ablation report and the experiments index on fixture runs. */
class AblationAndIndexTest {
  @TempDir Path dir;

  @Test
  void ablationOverlaysEveryVariantAndGridsTheirCrops() throws IOException {
    Path a = RunReportTest.olderGanRun(dir, "variant_a", 0);
    Path b = RunReportTest.olderGanRun(dir, "variant_b", 1.5);
    // variant b never validated on Set14 and saved one image only
    List<String> kept = new ArrayList<>();
    for (String line : Files.readAllLines(b.resolve("metrics.jsonl"))) {
      kept.add(line.replaceAll(",\"Set14_psnr\":[^,}]*", "").replaceAll(",\"Set14_niqe\":[^,}]*", ""));
    }
    Files.write(b.resolve("metrics.jsonl"), kept);
    for (String f : List.of("bird_20.png", "bird_40.png")) {
      Files.delete(b.resolve("visualization/Set5").resolve(f));
    }
    ResultsTable table = new ResultsTable(List.of("variant", "Set5 PSNR"), List.of(
        List.of(ResultsTable.Cell.text("a"), ResultsTable.Cell.number("27.80", 27.8)),
        List.of(ResultsTable.Cell.text("b"), ResultsTable.Cell.number("29.30", 29.3).emphasised())));
    Path page = AblationReport.write(dir.resolve("ablation"), "GAN weight", List.of(
        new AblationReport.Variant("a", a), new AblationReport.Variant("b", b)), table);

    JsonNode data = RunReportTest.data(page);
    assertEquals(Map.of("abl-Set5_psnr", List.of("a", "b"), "abl-Set5_niqe", List.of("a", "b"),
        "abl-Set14_psnr", List.of("a", "b"), "abl-Set14_niqe", List.of("a", "b")), RunReportTest.chartLines(data));
    for (JsonNode v : data.get("charts").get(2).get("lines").get(1).get("values")) {
      assertTrue(v.isNull(), "b has no Set14 curve: an empty line keeps the legend order");
    }
    assertEquals("#1f77b4", data.get("charts").get(0).get("lines").get(0).get("color").asText());
    assertEquals("#d62728", data.get("charts").get(3).get("lines").get(1).get("color").asText(), "a variant's colour");
    String html = Files.readString(page);
    assertTrue(html.contains("<td data-sort=\"29.3\" class=\"best\">29.30</td>"), "the table, best in bold");
    assertTrue(html.contains("data-series=\"2\""), "a legend entry per variant");
    // crop grid: baby has both variants at their latest validation (crops, then the flip view), bird only a (no flip)
    assertEquals(List.of("../variant_a/visualization/Set5/baby_40.png", "../variant_b/visualization/Set5/baby_40.png",
        "../variant_a/visualization/Set5/baby_40.png", "../variant_b/visualization/Set5/baby_40.png",
        "../variant_a/visualization/Set5/bird_40.png"),
        RunReportTest.sources(page));
    assertTrue(html.contains("href=\"../variant_b/report.html\""), "links to the variants' reports");
  }

  @Test
  void tableRowsMustMatchTheColumns() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ResultsTable(
        List.of("a", "b"), List.of(List.of(ResultsTable.Cell.text("x")))));
    assertTrue(e.getMessage().contains("1 cells for 2 columns"), e.getMessage());
  }

  @Test
  void indexHasOneSortableRowPerRunWithBestValuesPerSet() throws IOException {
    Path a = RunReportTest.olderGanRun(dir, "gan_a", 0);
    RunReportTest.olderGanRun(dir, "gan_b", 1.5);
    Files.createDirectories(dir.resolve("not_a_run"));
    RunReport.write(a);
    List<Path> runs = ExperimentsIndex.runs(dir);
    assertEquals(List.of(a, dir.resolve("gan_b")), runs);
    List<RunFolder> folders = new ArrayList<>();
    for (Path r : runs) {
      folders.add(RunFolder.read(r));
    }
    String html = Files.readString(ExperimentsIndex.write(dir, folders));
    assertTrue(html.contains("<th data-type=\"num\" tabindex=\"0\">best Set5_psnr</th>"), html);
    assertTrue(html.contains("<th data-type=\"num\" tabindex=\"0\">best Set5_niqe</th>"));
    assertTrue(html.contains("<a href=\"gan_a/report.html\">gan_a</a>"), "a run with a report links to it");
    assertTrue(html.contains("<td class=\"text\">gan_b</td>"), "a run without one is listed by name");
    assertTrue(html.contains("<td data-sort=\"29.3\">29.300 @ 20</td>"), "gan_b's best Set5 PSNR with its iteration");
    assertTrue(html.contains("<td data-sort=\"6.1\">6.100 @ 20</td>"), "NIQE: lowest is best");
    assertTrue(html.contains("<td data-sort=\"241\">4 min 01 s</td>"), "wall time");
  }
}
