package io.sr4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sr4j.ckpt.Checkpoint;
import io.sr4j.ckpt.Provenance;
import io.sr4j.config.ConfigLoader;
import io.sr4j.config.TrainConfig;
import io.sr4j.data.BadInputException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints are verified before use, damaged ones are never used, counted or deleted, runs are reproducible from
 * their seed, and every model file carries its provenance.
 */
class CheckpointIntegrityTest {
  @TempDir Path dir;

  private static final String CONFIG = """
      name: %s
      scale: 3
      manual_seed: 11
      datasets:
        train: {type: SRCNNSubImageDataset, dataroot_gt: T91, batch_size_per_gpu: 8, num_worker_per_gpu: 1}
        val: {name: Set5, dataroot_gt: Set5}
      network_g: {type: srcnn, scale: 3, num_in_ch: 1, kernel_sizes: [5, 1, 3], num_feat: [8, 4], padding: valid}
      path: {experiments_root: %s}
      train:
        optim_g: {type: Adam, lr: 0.001}
        total_iter: 6
        pixel_opt: {type: MSELoss}
      val: {val_freq: 1000, save_img: false, metrics: {psnr: {type: calculate_psnr}}}
      logger: {print_freq: 2, save_checkpoint_freq: 2, keep_checkpoints: 2}
      """;

  private Path yml(String name, String root) throws IOException {
    Path f = dir.resolve(name + ".yml");
    Files.writeString(f, CONFIG.formatted(name, root));
    return f;
  }

  private Trainer.Result train(Path yml, List<String> overrides, String resume, List<String> console) {
    TrainConfig cfg = ConfigLoader.load(yml, overrides);
    return new Trainer(RunSetup.prepare(cfg, RunSetup.Source.of(yml, overrides), resume), console::add).run(resume);
  }

  private static void flipByte(Path file, long position) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(position);
      int b = f.read();
      f.seek(position);
      f.write(b ^ 0x5a);
    }
  }

  @Test
  void aFullDiskStopsTheRunWithAnErrorNamingTheFile() throws IOException {
    Path devFull = Path.of("/dev/full");
    assumeTrue(Files.isWritable(devFull), "needs Linux's /dev/full to stand for a full disk");
    Path runs = dir.resolve("runs");
    Path log = runs.resolve("full").resolve("train.log");
    Files.createDirectories(log.getParent());
    Files.createSymbolicLink(log, devFull); // every write to the run's log fails with "No space left on device"
    Path yml = yml("full", runs.toString());
    BadInputException e = assertThrows(BadInputException.class, () -> train(yml, List.of(), null, new ArrayList<>()));
    assertTrue(e.getMessage().startsWith(log + ": cannot write the run's log (No space left on device"),
        e.getMessage());
  }

  @Test
  void aDamagedNewestCheckpointIsSkippedWithAWarningNamingIt() throws IOException {
    Path yml = yml("flip", dir.resolve("runs").toString());
    train(yml, List.of("train.total_iter=4"), null, new ArrayList<>());
    Path ckpts = dir.resolve("runs/flip/checkpoints");
    Path newest = ckpts.resolve("iter_00000004.zip");
    flipByte(newest, Files.size(newest) / 2);
    List<String> console = new ArrayList<>();
    Trainer.Result r = train(yml, List.of(), "auto", console);
    assertEquals(6, r.iterations());
    assertTrue(console.stream().anyMatch(l -> l.contains("warning: skipping damaged checkpoint iter_00000004.zip")
        && l.contains("SHA-256")), console.toString());
    assertTrue(console.stream().anyMatch(l -> l.contains("resuming from") && l.contains("iter_00000002.zip")), console.toString());
  }

  @Test
  void withoutRecordedChecksumsTheEntryCrcsStillCatchAFlippedBit() throws IOException {
    Path yml = yml("crc", dir.resolve("runs").toString());
    train(yml, List.of("train.total_iter=2"), null, new ArrayList<>());
    Path file = dir.resolve("runs/crc/checkpoints/iter_00000002.zip");
    Files.delete(file.resolveSibling("checksums.json"));
    RunCheckpoints.restore(file); // intact: fine
    flipByte(file, Files.size(file) / 3);
    BadInputException e = assertThrows(BadInputException.class, () -> RunCheckpoints.restore(file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
  }

  @Test
  void whenNoCheckpointIsUsableResumeStopsAndNothingIsDeleted() throws IOException {
    Path yml = yml("dead", dir.resolve("runs").toString());
    train(yml, List.of("train.total_iter=4"), null, new ArrayList<>());
    Path ckpts = dir.resolve("runs/dead/checkpoints");
    List<Path> files;
    try (Stream<Path> s = Files.list(ckpts)) {
      files = s.filter(p -> p.getFileName().toString().startsWith("iter_")).sorted().toList();
    }
    assertEquals(2, files.size());
    for (Path f : files) {
      try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
        raf.setLength(raf.length() / 2); // truncated, as by a full disk
      }
    }
    BadInputException e = assertThrows(BadInputException.class, () -> train(yml, List.of(), "auto", new ArrayList<>()));
    assertTrue(e.getMessage().contains("no usable checkpoint") && e.getMessage().contains("iter_00000004.zip")
        && e.getMessage().contains("iter_00000002.zip") && e.getMessage().contains("nothing was deleted"), e.getMessage());
    for (Path f : files) {
      assertTrue(Files.exists(f), f + " kept");
    }
  }

  @Test
  void retentionNeverCountsOrDeletesDamagedFilesAndStaleTemporaryFilesAreRemoved() throws IOException {
    Path yml = yml("keep", dir.resolve("runs").toString());
    train(yml, List.of("train.total_iter=2"), null, new ArrayList<>());
    Path ckpts = dir.resolve("runs/keep/checkpoints");
    Path bogus = ckpts.resolve("iter_00000099.zip"); // a damaged file numbered above everything the run writes
    Files.writeString(bogus, "damaged");
    Path part = ckpts.resolve(".iter_00000004.zip.abc123.part");
    Files.writeString(part, "left by a kill during a write");
    Trainer.Result r = train(yml, List.of(), "auto", new ArrayList<>());
    assertEquals(6, r.iterations());
    assertTrue(Files.exists(bogus), "damaged files are not deleted");
    assertFalse(Files.exists(part), "stale temporary file removed");
    assertTrue(Files.exists(ckpts.resolve("iter_00000006.zip")));
    assertTrue(Files.exists(ckpts.resolve("iter_00000004.zip")), "two good checkpoints kept besides the damaged one");
    assertFalse(Files.exists(ckpts.resolve("iter_00000002.zip")));
  }

  @Test
  void modelFilesCarryTheirProvenanceAndConfig() throws IOException {
    Path yml = yml("prov", dir.resolve("runs").toString());
    Trainer.Result r = train(yml, List.of("train.total_iter=2", "logger.print_freq=1"), null, new ArrayList<>());
    for (Path f : List.of(r.runDir().resolve("checkpoints/iter_00000002.zip"), r.runDir().resolve("models/net_g_final.zip"))) {
      Provenance p = Checkpoint.provenance(f).orElseThrow();
      assertEquals(Provenance.FORMAT_VERSION, p.formatVersion());
      assertEquals(yml.toString(), p.configFile());
      assertEquals(List.of("train.total_iter=2", "logger.print_freq=1"), p.overrides());
      assertEquals(11L, p.seed());
      assertEquals(List.of("train", "val"), p.datasets().stream().map(Provenance.DataSet::role).toList());
      assertEquals(91, p.datasets().get(0).images());
      assertEquals(5, p.datasets().get(1).images());
      assertNotNull(p.nd4jVersion());
      assertEquals("CpuBackend", p.nd4jBackend());
      assertNotNull(p.started());
      assertNotNull(p.written());
      String config = new String(Checkpoint.entry(f, Checkpoint.CONFIG_ENTRY).orElseThrow());
      assertTrue(config.contains("total_iter: 2"), config);
      assertEquals(RunSetup.sha256(config), p.configSha256());
    }
  }

  @Test
  void metricsCsvKeepsIterationOrderAfterAResume() throws IOException {
    Path yml = yml("csv", dir.resolve("runs").toString());
    train(yml, List.of("train.total_iter=4"), null, new ArrayList<>());
    train(yml, List.of(), "auto", new ArrayList<>());
    List<String> rows = Files.readAllLines(dir.resolve("runs/csv/metrics.csv"));
    long previous = 0;
    for (String row : rows.subList(1, rows.size())) {
      long iter = Long.parseLong(row.substring(0, row.indexOf(',')));
      assertTrue(iter >= previous, "rows by iteration: " + rows);
      previous = iter;
    }
  }

  /**
   * Two processes that train the same config write byte-identical checkpoints (SOURCE_DATE_EPOCH fixes the times), also
   * with the default manual_seed 0, which ND4J's random generator does not honour by itself.
   */
  @Test
  void twoFreshProcessesWriteByteIdenticalCheckpoints() throws Exception {
    Path yml = yml("twin", "runs");
    Files.writeString(yml, Files.readString(yml).replace("manual_seed: 11", "num_threads: 2")
        .replace("num_feat: [8, 4]", "num_feat: [64, 32]"));
    List<byte[]> bytes = new ArrayList<>();
    for (String copy : List.of("a", "b")) {
      Path cwd = Files.createDirectories(dir.resolve(copy));
      ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx1g", "-Dorg.bytedeco.javacpp.maxbytes=4G", "-Djava.awt.headless=true",
          "-Dsr4j.home=" + System.getProperty("sr4j.home", ""), "-cp", System.getProperty("java.class.path"),
          "io.sr4j.cli.Main", "train", yml.toString()).directory(cwd.toFile()).redirectErrorStream(true)
          .redirectOutput(dir.resolve(copy + ".log").toFile());
      pb.environment().put("SOURCE_DATE_EPOCH", "1780000000");
      Process p = pb.start();
      assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child finished");
      assertEquals(0, p.exitValue(), Files.readString(dir.resolve(copy + ".log")));
      bytes.add(Files.readAllBytes(cwd.resolve("runs/twin/checkpoints/iter_00000006.zip")));
    }
    assertArrayEquals(bytes.get(0), bytes.get(1), "checkpoints of two processes");
  }
}
