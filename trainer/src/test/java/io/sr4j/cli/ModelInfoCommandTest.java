package io.sr4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code sr model-info}: a header, each layer's output shape for the input size, the total. */
class ModelInfoCommandTest {
  @Test
  void printsAHeaderAndEachLayersOutputShape() {
    CliRunner.Result r = CliRunner.run("model-info", "srresnet", "--opt", "num_block=1", "--opt", "scale=4",
        "--input-size", "20x30");
    assertEquals(0, r.exit(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals("srresnet num_block=1 scale=4, input 3 x 20 x 30 (C x H x W)", lines.get(0));
    assertTrue(lines.get(1).startsWith("layer") && lines.get(1).contains("output (C x H x W)")
        && lines.get(1).endsWith("parameters"), lines.get(1));
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("conv_first ") && l.contains(" 64 x 20 x 30 ")), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("conv_last ") && l.contains(" 3 x 80 x 120 ")), r.out());
    String last = lines.get(lines.size() - 1);
    assertTrue(last.startsWith("srresnet: ") && last.endsWith(" parameters"), last);
  }

  @Test
  void discriminatorsShowTheirDenseLayersAndRefuseAnotherInputSize() {
    CliRunner.Result r = CliRunner.run("model-info", "vgg128", "--opt", "num_feat=4");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("vgg128 num_feat=4, input 3 x 128 x 128"), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("linear2 ") && l.contains(" 1 ")), r.out());
    CliRunner.Result bad = CliRunner.run("model-info", "vgg128", "--input-size", "64x64");
    assertEquals(1, bad.exit());
    assertEquals(1, bad.errLines(), bad.err());
    assertTrue(bad.err().contains("vgg128 takes 128x128 inputs") && bad.err().contains("not 64x64"), bad.err());
    assertEquals(2, CliRunner.run("model-info", "srcnn", "--input-size", "64").exit());
  }
}
