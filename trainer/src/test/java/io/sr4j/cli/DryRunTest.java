package io.sr4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sr train --dry-run}: every shipped config passes; a broken run is refused before any folder exists. */
class DryRunTest {
  @TempDir Path dir;

  @Test
  void everyShippedConfigPassesTheDryRun() throws IOException {
    List<Path> configs;
    try (Stream<Path> s = Files.list(Path.of("../configs"))) {
      configs = s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
    for (Path c : configs) {
      CliRunner.Result r = CliRunner.run("train", "--dry-run", c.toString(), "--set",
          "path.experiments_root=" + dir.resolve("runs"));
      assertEquals(0, r.exit(), c + ": " + r.err());
      assertTrue(r.out().contains("dry run: the config is valid"), r.out());
      assertTrue(r.out().contains("network_g: "), r.out());
      assertTrue(r.out().contains(" parameters"), r.out());
    }
    assertFalse(Files.exists(dir.resolve("runs")), "a dry run writes nothing");
  }

  @Test
  void dryRunPrintsTheResolvedRun() {
    CliRunner.Result r = CliRunner.run("train", "--dry-run", "../configs/quickstart.yml", "--set", "train.total_iter=7",
        "--set", "path.experiments_root=" + dir.resolve("runs"));
    assertEquals(0, r.exit(), r.err());
    String out = r.out();
    assertTrue(out.contains("network_g: srcnn"), out);
    assertTrue(out.contains("8,129 parameters"), out);
    assertTrue(out.contains("data train: T91 (91 images"), out);
    assertTrue(out.contains("data val: Set5 (5 images"), out);
    assertTrue(out.contains("loss pixel_opt: MSELoss"), out);
    assertTrue(out.contains("7 iterations"), out);
    assertTrue(out.contains("--set train.total_iter=7"), out);
    assertTrue(out.contains(dir.resolve("runs").resolve("quickstart_srcnn_x3").toString()), out);
  }

  private Path config(String body) throws IOException {
    Path yml = dir.resolve("c.yml");
    Files.writeString(yml, body.replace("ROOT", dir.resolve("runs").toString()));
    return yml;
  }

  private static final String PAIRED = """
      name: bad
      scale: 4
      datasets:
        train: {dataroot_gt: Set14, gt_size: 64, color: %s, batch_size_per_gpu: 2}
        val: {name: Set5, dataroot_gt: Set5}
      network_g: {type: rrdbnet, scale: %d, num_feat: 8, num_block: 1, num_grow_ch: 4}
      path: {experiments_root: ROOT}
      train: {total_iter: 1, pixel_opt: {type: L1Loss}}
      """;

  private void assertRefusedBeforeAnyFolder(Path yml, String expected) {
    for (String mode : List.of("--dry-run", "--resume=auto")) {
      CliRunner.Result r = CliRunner.run("train", mode, yml.toString());
      assertEquals(1, r.exit(), r.out());
      assertEquals(1, r.errLines(), r.err());
      assertTrue(r.err().contains(expected), r.err());
      assertFalse(Files.exists(dir.resolve("runs")), mode + ": nothing may be created");
    }
  }

  @Test
  void wrongColourIsReportedBeforeAnyFolderExists() throws IOException {
    assertRefusedBeforeAnyFolder(config(PAIRED.formatted("y", 4)), "datasets.train.color: y does not fit the network's num_in_ch 3");
  }

  @Test
  void wrongScaleIsReportedBeforeAnyFolderExists() throws IOException {
    assertRefusedBeforeAnyFolder(config(PAIRED.formatted("rgb", 2)), "network_g.scale: 2 does not match scale 4");
  }

  @Test
  void wrongDiscriminatorInputIsReportedBeforeAnyFolderExists() throws IOException {
    Path yml = config("""
        name: bad
        model_type: ESRGANModel
        scale: 4
        datasets: {train: {dataroot_gt: Set14, gt_size: 64, batch_size_per_gpu: 2}}
        network_g: {type: rrdbnet, scale: 4, num_feat: 8, num_block: 1, num_grow_ch: 4}
        network_d: {type: vgg128, num_feat: 4, input_size: 128}
        path: {experiments_root: ROOT}
        train:
          total_iter: 1
          pixel_opt: {type: L1Loss}
          gan_opt: {gan_type: vanilla}
        """);
    assertRefusedBeforeAnyFolder(yml, "datasets.train.gt_size: 64 does not fit network_d, which takes 128x128 patches");
  }

  @Test
  void missingVggWeightsAreListedByTheDryRunAndStopTheRealRun() throws IOException {
    Path yml = config("""
        name: novgg
        model_type: ESRGANModel
        scale: 4
        datasets: {train: {dataroot_gt: Set14, gt_size: 32, batch_size_per_gpu: 2}}
        network_g: {type: rrdbnet, scale: 4, num_feat: 8, num_block: 1, num_grow_ch: 4}
        network_d: {type: vgg128, num_feat: 4, input_size: 32}
        path: {experiments_root: ROOT}
        train:
          total_iter: 1
          perceptual_opt: {layer_weights: {conv5_4: 1}, weights: /nonexistent/vgg19-dcbb9e9d.pth}
          gan_opt: {gan_type: vanilla}
        """);
    CliRunner.Result dry = CliRunner.run("train", "--dry-run", yml.toString());
    assertEquals(0, dry.exit(), dry.err());
    assertTrue(dry.out().contains("missing inputs"), dry.out());
    assertTrue(dry.out().contains("/nonexistent/vgg19-dcbb9e9d.pth is not a file"), dry.out());
    CliRunner.Result run = CliRunner.run("train", yml.toString());
    assertEquals(1, run.exit());
    assertTrue(run.err().contains("train.perceptual_opt.weights: /nonexistent/vgg19-dcbb9e9d.pth is not a file"), run.err());
    assertFalse(Files.exists(dir.resolve("runs")));
  }

  @Test
  void runNamesCannotLeaveTheExperimentsFolder() throws IOException {
    for (String name : List.of("..", ".")) {
      CliRunner.Result r = CliRunner.run("train", "--dry-run", "../configs/quickstart.yml", "--set", "name=" + name,
          "--set", "path.experiments_root=" + dir.resolve("runs"));
      assertEquals(1, r.exit(), name);
      assertTrue(r.err().contains("name: '" + name + "'"), r.err());
    }
  }

  @Test
  void aMisspeltRequiredKeyIsReportedAsUnknownWithASuggestion() throws IOException {
    Path yml = config(PAIRED.formatted("rgb", 4).replace("total_iter: 1", "totl_iter: 1"));
    CliRunner.Result r = CliRunner.run("train", "--dry-run", yml.toString());
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("train.totl_iter: unknown key; did you mean total_iter?"), r.err());
  }
}
