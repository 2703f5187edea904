package io.sr4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NiqeCommandTest {
  @TempDir Path dir;

  @Test
  void baboonPrintsThePublishedValue() throws IOException {
    Path baboon = Path.of(System.getProperty("sr4j.sharedData", "../shared/data"), "weights", "niqe",
        "baboon_basicsr_GTmod12.png");
    assumeTrue(Files.isRegularFile(baboon), "BasicSR's NIQE test image not available at " + baboon);
    Path json = dir.resolve("n.json");
    CliRunner.Result r = CliRunner.run("niqe", baboon.toString(), "--json", json.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("5.7296"), r.out());
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    assertEquals(5.7296, root.get("images").get(0).get("niqe").asDouble(), 0.001);
    assertEquals("baboon_basicsr_GTmod12.png", root.get("images").get(0).get("name").asText());
  }

  @Test
  void folderIsScoredImageByImageWithAMean() throws IOException {
    CliRunner.Result r = CliRunner.run("niqe", "../datasets/data/Set5/HR");
    assertEquals(0, r.exit(), r.err());
    assertEquals(6, r.out().lines().count(), r.out());
    assertTrue(r.out().contains("butterfly.png") && r.out().contains("mean"), r.out());
  }

  @Test
  void tooSmallImageIsANamedError() throws IOException {
    Path small = dir.resolve("small.png");
    ImageFiles.write(Image.of(50, 50, new float[2500]), small);
    CliRunner.Result r = CliRunner.run("niqe", small.toString());
    assertEquals(1, r.exit());
    assertEquals(1, r.errLines(), r.err());
    assertTrue(r.err().contains("small.png") && r.err().contains("50x50"), r.err());
  }
}
