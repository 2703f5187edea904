package io.sr4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sr4j.data.metrics.MetricChannel;
import io.sr4j.infer.Models;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateJobTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static JavaSparkContext sc;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    sc = TestData.localSpark();
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  private static EvaluateJob.Outcome evaluate(String model, int scale, String set, MetricChannel channel, boolean niqe,
      Path save, Path out) {
    return EvaluateJob.run(sc, new EvaluateJob.Options(Models.ModelSpec.of(model), scale, set, null, channel, -1, null,
        niqe ? List.of("psnr", "ssim", "niqe") : List.of("psnr", "ssim"), 4, save == null ? null : save.toString(),
        out.toString(), 0), new PrintWriter(new StringWriter()));
  }

  /** The same report as {@code sr evaluate --json}: every field, scores to 1e-9. */
  private static void assertSameReport(Path expected, Path actual) throws IOException {
    JsonNode want = JSON.readTree(expected.toFile());
    JsonNode got = JSON.readTree(actual.toFile());
    for (String field : new String[] {"model", "scale", "synthesis", "channel", "border", "metrics"}) {
      assertEquals(want.get(field), got.get(field), field);
    }
    assertEquals(want.get("images").size(), got.get("images").size());
    for (JsonNode metric : want.get("metrics")) {
      String m = metric.asText();
      for (int i = 0; i < want.get("images").size(); i++) {
        JsonNode w = want.get("images").get(i);
        JsonNode g = got.get("images").get(i);
        assertEquals(w.get("name"), g.get("name"));
        assertEquals(w.get(m).asDouble(), g.get(m).asDouble(), 1e-9, w.get("name") + " " + m);
      }
      assertEquals(want.get("mean").get(m).asDouble(), got.get("mean").get(m).asDouble(), 1e-9, "mean " + m);
    }
  }

  @Test
  void srcnnOnSet5InTheLumaPipelineAndBicubicOnSet14InRgbEqualSrEvaluate() throws IOException {
    String model = TestData.SRCNN_X3.toString();
    Path local = dir.resolve("srcnn.json");
    TestData.sr("evaluate", "-m", model, "--hr", "Set5", "-s", "3", "--json", local.toString());
    Path out = dir.resolve("srcnn");
    assertEquals(5, evaluate(model, 3, "Set5", MetricChannel.Y, false, null, out).run().count(ManifestEntry.DONE));
    assertSameReport(local, out.resolve("evaluation.json"));
    // the published SRCNN 9-5-5 x3 number on Set5 (the same as 'sr evaluate' gives)
    assertEquals(32.75, JSON.readTree(out.resolve("evaluation.json").toFile()).get("mean").get("psnr").asDouble(),
        0.005);

    Path localRgb = dir.resolve("bicubic-rgb.json");
    TestData.sr("evaluate", "-m", "bicubic", "--hr", "Set14", "-s", "3", "--channel", "rgb", "--json",
        localRgb.toString());
    Path outRgb = dir.resolve("bicubic-rgb");
    assertEquals(14, evaluate("bicubic", 3, "Set14", MetricChannel.RGB, false, null, outRgb).run()
        .count(ManifestEntry.DONE));
    assertSameReport(localRgb, outRgb.resolve("evaluation.json"));
  }

  @Test
  void withAnLrFolderTheScoresAreThoseOfSrEvaluateWithTheSameFolder() throws IOException {
    Path lr = TestData.writeLr(dir.resolve("lr"), 4, "Set5");
    Path local = dir.resolve("local.json");
    TestData.sr("evaluate", "-m", "bicubic", "--hr", "Set5", "--lr", lr.toString(), "-s", "4", "--json",
        local.toString());
    Path out = dir.resolve("out");
    EvaluateJob.run(sc, new EvaluateJob.Options(Models.ModelSpec.of("bicubic"), 4, "Set5", lr.toString(),
        MetricChannel.Y, -1, null, List.of("psnr", "ssim"), 4, null, out.toString(), 0),
        new PrintWriter(new StringWriter()));
    assertSameReport(local, out.resolve("evaluation.json"));
  }

  @Test
  void bicubicWithNiqeAndSavedOutputsEqualsSrEvaluateAndASecondRunReusesTheScores() throws IOException {
    Path local = dir.resolve("local.json");
    Path localSr = dir.resolve("local-sr");
    TestData.sr("evaluate", "-m", "bicubic", "--hr", "Set5", "-s", "4", "--metrics", "psnr,ssim,niqe", "--json",
        local.toString(), "--save", localSr.toString());
    Path save = dir.resolve("spark-sr");
    Path out = dir.resolve("out");
    EvaluateJob.Outcome first = evaluate("bicubic", 4, "Set5", MetricChannel.Y, true, save, out);
    assertSameReport(local, out.resolve("evaluation.json"));
    UpscaleJobTest.assertSamePngs(localSr, save);


    String report = Files.readString(out.resolve("evaluation.json"));
    EvaluateJob.Outcome second = evaluate("bicubic", 4, "Set5", MetricChannel.Y, true, save, out);
    assertEquals(5, second.run().count(ManifestEntry.SKIPPED));
    assertEquals(first.report(), second.report());
    assertEquals(report, Files.readString(out.resolve("evaluation.json")));
  }
}
