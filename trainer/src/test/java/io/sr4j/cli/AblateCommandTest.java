package io.sr4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sr4j.ablate.TinyAblation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sr ablate} end to end on tiny networks: training, results, report-only, resume, failures, bad specs. */
class AblateCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  /** The last value of {@code key} in a run's metrics.jsonl, read independently of the report code. */
  private static double lastValue(Path runDir, String key) throws IOException {
    double v = Double.NaN;
    for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
      JsonNode n = JSON.readTree(line);
      if (n.has(key)) {
        v = n.get(key).asDouble();
      }
    }
    return v;
  }

  @Test
  void twoByTwoGridOverTwoSeedsTrainsReportsAndResumes() throws IOException {
    TinyAblation.base(dir, 6, 3, 3);
    Path spec = TinyAblation.write(dir.resolve("grid.yml"), """
        base: base.yml
        grid:
          train.optim_g.lr: [0.001, 0.004]
          network_g.num_feat: [4, 8]
        seeds: [1, 2]
        metrics: {rank: Set5_psnr}
        """);
    CliRunner.Result r = CliRunner.run("ablate", spec.toString());
    assertEquals(0, r.exit(), r.err());
    for (int k = 1; k <= 8; k++) {
      assertTrue(r.out().contains("candidate " + k + " of 8"), r.out());
    }
    assertTrue(r.out().contains("[validation 6]"), "inner training progress is shown");
    Path out = dir.resolve("runs/grid");
    for (String f : List.of("results.md", "results.csv", "results.json", "curves.png", "grid.png")) {
      assertTrue(Files.size(out.resolve(f)) > 100, f);
    }

    JsonNode results = JSON.readTree(out.resolve("results.json").toFile());
    assertEquals(4, results.get("variants").size());
    assertEquals(2, results.get("columns").size());
    assertEquals("Set5_psnr", results.get("rank").get("key").asText());
    for (JsonNode v : results.get("variants")) {
      assertEquals(2, v.get("overrides").size(), v.toString());
      for (JsonNode col : results.get("columns")) {
        String key = col.get("key").asText();
        List<Double> values = new ArrayList<>();
        for (JsonNode run : v.get("runs")) {
          assertEquals("finished", run.get("state").asText());
          values.add(lastValue(out.resolve(run.get("dir").asText()), key));
        }
        double mean = (values.get(0) + values.get(1)) / 2;
        double std = Math.abs(values.get(0) - values.get(1)) / Math.sqrt(2); // sample std of two values
        JsonNode stat = v.get("stats").get(key);
        assertEquals(2, stat.get("n").asInt());
        assertEquals(mean, stat.get("mean").asDouble(), 1e-12, key);
        assertEquals(std, stat.get("std").asDouble(), 1e-12, key);
      }
    }
    List<String> csv = Files.readAllLines(out.resolve("results.csv"));
    assertEquals(5, csv.size(), "header and one row per variant");
    assertEquals(2 + 3 * 2 + 2, csv.get(0).split(",").length, csv.get(0));
    String md = Files.readString(out.resolve("results.md"));
    long tableRows = md.lines().filter(l -> l.matches("\\| \\d+ \\|.*")).count();
    assertEquals(4, tableRows, md);
    int bests = 0;
    for (JsonNode col : results.get("columns")) {
      assertTrue(col.get("best").size() >= 1, col.toString());
      bests += col.get("best").size();
    }
    assertEquals(bests, md.lines().filter(l -> l.startsWith("| ")).flatMap(l -> List.of(l.split("\\|")).stream())
        .filter(c -> c.contains("**")).count(), "the best cell of each metric column (ties included) is bold");
    assertEquals(90 + 6 * (128 + 4), ImageIO.read(out.resolve("grid.png").toFile()).getWidth(),
        "grid columns: HR, bicubic and 4 variants");
    String html = Files.readString(out.resolve("report.html"));
    for (JsonNode v : results.get("variants")) {
      String name = v.get("name").asText();
      assertTrue(html.contains(name + " s1") && html.contains(name + " s2"), "legend entries of " + name + "'s runs");
      assertTrue(html.contains(v.get("runs").get(0).get("dir").asText() + "/report.html"), "links its run's report");
    }

    // the results are rebuilt from the run folders alone
    String before = Files.readString(out.resolve("results.json"));
    for (String f : List.of("results.md", "results.csv", "results.json", "curves.png", "grid.png", "report.html")) {
      Files.delete(out.resolve(f));
    }
    CliRunner.Result report = CliRunner.run("ablate", spec.toString(), "--report-only");
    assertEquals(0, report.exit(), report.err());
    assertEquals(before, Files.readString(out.resolve("results.json")));
    assertTrue(Files.exists(out.resolve("grid.png")) && Files.exists(out.resolve("curves.png"))
        && Files.exists(out.resolve("report.html")));

    // a second run needs --resume, which trains nothing that is finished
    CliRunner.Result again = CliRunner.run("ablate", spec.toString());
    assertEquals(1, again.exit());
    assertEquals(1, again.errLines(), again.err());
    assertTrue(again.err().contains("--resume"), again.err());
    Path firstMetrics = out.resolve(JSON.readTree(before).get("variants").get(0).get("runs").get(0).get("dir")
        .asText()).resolve("metrics.jsonl");
    FileTime mtime = Files.getLastModifiedTime(firstMetrics);
    CliRunner.Result resumed = CliRunner.run("ablate", spec.toString(), "--resume");
    assertEquals(0, resumed.exit(), resumed.err());
    assertEquals(8, resumed.out().lines().filter(l -> l.contains("not trained again")).count(), resumed.out());
    assertEquals(mtime, Files.getLastModifiedTime(firstMetrics));
  }

  @Test
  void aFailingCandidateIsRecordedWithItsReasonAndTheOthersGoOn() throws IOException {
    TinyAblation.base(dir, 30, 30, 10);
    Path spec = TinyAblation.write(dir.resolve("nan.yml"), """
        base: base.yml
        set: {train.optim_g.type: SGD}
        grid: {train.optim_g.lr: [1.0e+9, 0.001]}
        """);
    CliRunner.Result r = CliRunner.run("ablate", spec.toString());
    assertEquals(1, r.exit(), "an ablation with a failed candidate exits 1");
    assertTrue(r.out().contains("candidate 1 of 2") && r.out().contains("failed: loss is"), r.out());
    JsonNode results = JSON.readTree(dir.resolve("runs/nan/results.json").toFile());
    JsonNode failed = results.get("variants").get(0).get("runs").get(0);
    assertEquals("failed", failed.get("state").asText());
    assertTrue(failed.get("reason").asText().contains("loss is"), failed.toString());
    assertFalse(results.get("variants").get(0).get("stats").has("Set5_psnr"), "a failed run counts in no mean");
    JsonNode ok = results.get("variants").get(1);
    assertEquals("finished", ok.get("runs").get(0).get("state").asText());
    assertEquals(1, ok.get("stats").get("Set5_psnr").get("n").asInt());
    assertTrue(Files.readString(dir.resolve("runs/nan/results.md")).contains("failed: loss is"));
  }

  @Test
  void badSpecKeysNameTheVariantAndTheKeyPath() throws IOException {
    TinyAblation.base(dir, 2, 2, 2);
    String[][] cases = {
        {"variants:\n  - {name: fast, set: {train.optim_g.lr: 0.01}}\n  - {name: typo, set: {train.optim_g.lrr: 0.1}}\n",
            "variant typo (seed 3)", "train.optim_g.lrr: unknown key; did you mean lr?"},
        {"grid: {network_g.num_fet: [4, 8]}\n", "variant num_fet-4 (seed 3): network_g",
            "num_fet: unknown key; did you mean num_feat?"},
        {"variants:\n  - {name: slow, set: {train.optim_g.lr: fast}}\n", "variant slow (seed 3)", "train.optim_g.lr"},
        {"grid: {network_g.num_feat: [4]}\nseedz: [1]\n", "spec.yml: seedz: unknown key; did you mean seed", "allowed here: base, budget"},
        {"grid: {network_g.num_feat: [4]}\nmetrics: {rank: Set14_psnr}\n", "metrics.rank: Set14_psnr", "Set5_psnr"},
        {"variants:\n  - {name: a, set: {datasets.train.dataroot_gt: /nowhere}}\n", "variant a (seed 3)",
            "datasets.train.dataroot_gt: /nowhere"}};
    for (String[] c : cases) {
      Path spec = TinyAblation.write(dir.resolve("spec.yml"), "base: base.yml\n" + c[0]);
      CliRunner.Result r = CliRunner.run("ablate", spec.toString());
      assertEquals(1, r.exit(), c[0] + r.out());
      assertEquals(1, r.errLines(), r.err());
      assertTrue(r.err().contains(c[1]) && r.err().contains(c[2]), r.err());
      assertFalse(Files.exists(dir.resolve("runs/spec")), "nothing trained or written before validation passed");
    }
  }
}
