package io.sr4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The published bicubic baselines (BSD100 x4: the table of the SRGAN paper), reproduced through the command line on
 * the bundled sets.
 */
class EvaluateCommandTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0} x{1}")
  @CsvSource({
    "Set5, 2, 33.66, 0.9299",
    "Set5, 3, 30.39, 0.8682",
    "Set5, 4, 28.42, 0.8104",
    "Set14, 2, 30.24, -1",
    "Set14, 3, 27.55, -1",
    "Set14, 4, 26.00, 0.7027",
    "BSD100, 4, 25.96, 0.6675",
  })
  void bicubicMatchesPublishedNumbers(String set, int scale, double psnr, double ssim) throws IOException {
    Path json = dir.resolve("r.json");
    CliRunner.Result r = CliRunner.run("evaluate", "--model", "bicubic", "--hr", set, "--scale", "" + scale,
        "--json", json.toString());
    assertEquals(0, r.exit(), r.err());
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertEquals(psnr, report.get("mean").get("psnr").asDouble(), 0.02, "PSNR of " + set + " x" + scale);
    if (ssim > 0) {
      assertEquals(ssim, report.get("mean").get("ssim").asDouble(), 0.002, "SSIM of " + set + " x" + scale);
    }
    assertTrue(r.out().contains("mean"), r.out());
  }

  @Test
  void jsonHasExactlyTheDocumentedShape() throws IOException {
    Path json = dir.resolve("r.json");
    CliRunner.Result r = CliRunner.run("evaluate", "-m", "bicubic", "--hr", "Set5", "-s", "4", "--channel", "rgb",
        "--json", json.toString());
    assertEquals(0, r.exit(), r.err());
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    assertEquals(List.of("model", "scale", "hr", "lr", "synthesis", "channel", "border", "metrics", "images", "mean"),
        fieldNames(root));
    assertEquals("bicubic", root.get("model").asText());
    assertTrue(root.get("hr").asText().contains("Set5"), root.get("hr").asText());
    assertTrue(root.get("lr").isNull());
    assertEquals("rgb8", root.get("synthesis").asText());
    assertEquals(4, root.get("scale").asInt());
    assertEquals("rgb", root.get("channel").asText());
    assertEquals(4, root.get("border").asInt());
    assertEquals(5, root.get("images").size());
    JsonNode baby = root.get("images").get(0);
    assertEquals(List.of("name", "psnr", "ssim"), fieldNames(baby));
    assertEquals("baby", baby.get("name").asText());
    assertEquals(List.of("psnr", "ssim"), fieldNames(root.get("mean")));
    double sum = 0;
    for (JsonNode img : root.get("images")) {
      sum += img.get("psnr").asDouble();
    }
    assertEquals(sum / 5, root.get("mean").get("psnr").asDouble(), 1e-9);
  }

  @Test
  void rgbAndYChannelsAndBordersGiveDifferentNumbers() throws IOException {
    Path a = dir.resolve("a.json");
    Path b = dir.resolve("b.json");
    assertEquals(0, CliRunner.run("evaluate", "-m", "bicubic", "--hr", "Set5", "-s", "3", "--json", a.toString()).exit());
    assertEquals(0, CliRunner.run("evaluate", "-m", "bicubic", "--hr", "Set5", "-s", "3", "--border", "0",
        "--json", b.toString()).exit());
    ObjectMapper m = new ObjectMapper();
    assertEquals(0, m.readTree(b.toFile()).get("border").asInt());
    assertTrue(m.readTree(a.toFile()).get("mean").get("psnr").asDouble()
        != m.readTree(b.toFile()).get("mean").get("psnr").asDouble());
  }

  @Test
  void nearestIsWorseThanBilinearIsWorseThanBicubic() throws IOException {
    double[] psnr = new double[3];
    String[] models = {"nearest", "bilinear", "bicubic"};
    for (int i = 0; i < 3; i++) {
      Path json = dir.resolve(models[i] + ".json");
      assertEquals(0, CliRunner.run("evaluate", "-m", models[i], "--hr", "Set14", "-s", "2", "--json", json.toString()).exit());
      psnr[i] = new ObjectMapper().readTree(json.toFile()).get("mean").get("psnr").asDouble();
    }
    assertTrue(psnr[0] < psnr[1] && psnr[1] < psnr[2], java.util.Arrays.toString(psnr));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}
