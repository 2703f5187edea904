package io.sr4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sr bench conv / backward / loss: bad options give one error line; a small run prints and writes its rows. */
class BenchCommandTest {
  @TempDir Path dir;

  @Test
  void unknownShapeGroupIsOneUsageError() {
    CliRunner.Result r = CliRunner.run("bench", "conv", "--shapes", "reference,vgg16");
    assertEquals(2, r.exit(), r.err());
    assertEquals(1, r.errLines(), r.err());
    assertTrue(r.err().contains("vgg16") && r.err().contains("srcnn"), r.err());
  }

  @Test
  void backwardSizeMustBeAMultipleOf32() {
    CliRunner.Result r = CliRunner.run("bench", "backward", "--size", "100");
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("--size") && r.err().contains("100"), r.err());
  }

  @Test
  void convReportsEveryCaseOfTheChosenGroups() throws IOException {
    Path json = dir.resolve("conv.json");
    CliRunner.Result r = CliRunner.run("bench", "conv", "--shapes", "reference", "--iters", "1", "--warmup", "0",
        "--json", json.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("3x3 64->64 ") && r.out().contains(" b/b ") && r.out().contains("3x3 64->64 NCHW")
        && r.out().contains(" n/n "), r.out());
    JsonNode rows = new ObjectMapper().readTree(json.toFile()).get("rows");
    assertEquals(2, rows.size());
    for (JsonNode row : rows) {
      assertTrue(row.get("newFwdMs").asDouble() > 0 && row.get("libBwdMs").asDouble() > 0, row.toString());
    }
    assertTrue(rows.get(0).get("conv").get("blockedSrc").asBoolean(), rows.toString());
  }

  @Test
  void unknownLossGroupIsOneUsageError() {
    CliRunner.Result r = CliRunner.run("bench", "loss", "--terms", "pixel,vgg");
    assertEquals(2, r.exit(), r.err());
    assertEquals(1, r.errLines(), r.err());
    assertTrue(r.err().contains("'vgg'") && r.err().contains("cobi"), r.err());
  }

  @Test
  void lossReportsTimeAndPeakMemoryOfEveryPixelTerm() throws IOException {
    Path json = dir.resolve("loss.json");
    CliRunner.Result r = CliRunner.run("bench", "loss", "--shape", "2,3,24,24", "--iters", "1", "--warmup", "0",
        "--json", json.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("peak resident MB") && r.out().contains("GradientLoss, SameDiff autodiff"), r.out());
    JsonNode result = new ObjectMapper().readTree(json.toFile());
    JsonNode medians = result.get("medianSeconds");
    assertEquals(5, medians.size(), medians.toString());
    medians.fields().forEachRemaining(e -> assertTrue(e.getValue().asDouble() > 0, e.toString()));
    JsonNode peaks = result.get("peakResidentMb");
    assertEquals(5, peaks.size(), peaks.toString());
    // a restarted peak is at least the process's resident size: far above 10 MB for a JVM with ND4J loaded
    peaks.fields().forEachRemaining(e -> assertTrue(!Files.isWritable(Path.of("/proc/self/clear_refs"))
        || e.getValue().asDouble() > 10, e.toString()));
  }
}
