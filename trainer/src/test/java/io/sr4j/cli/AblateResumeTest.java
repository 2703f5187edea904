package io.sr4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sr4j.ablate.TinyAblation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sr ablate} in a child JVM, killed (SIGKILL) while candidate 2 trains, then {@code --resume}: candidate 1 is
 * not trained again (its files are untouched) and candidate 2 continues from its newest checkpoint.
 */
class AblateResumeTest {
  @TempDir Path dir;

  private static Optional<Path> newestCheckpoint(Path runDir) throws IOException {
    Path ckpts = runDir.resolve("checkpoints");
    if (!Files.isDirectory(ckpts)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(ckpts)) {
      return s.filter(p -> p.getFileName().toString().matches("iter_\\d{8}\\.zip")).max(Path::compareTo);
    }
  }

  @Test
  void killedDuringCandidateTwoResumesWithoutRetrainingCandidateOne() throws Exception {
    TinyAblation.base(dir, 300, 300, 10);
    Path spec = TinyAblation.write(dir.resolve("kill.yml"), "base: base.yml\ngrid: {train.optim_g.lr: [0.001, 0.002]}\n");
    Path first = dir.resolve("runs/kill/lr-0.001_s3");
    Path second = dir.resolve("runs/kill/lr-0.002_s3");
    Path log = dir.resolve("child.log");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
        "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "ablate",
        spec.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
      while (newestCheckpoint(second).isEmpty() && child.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(child.isAlive(), "the child was still training candidate 2 when killed:\n" + Files.readString(log));
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
      child.waitFor();
    } finally {
      child.destroyForcibly();
    }
    ObjectMapper json = new ObjectMapper();
    assertEquals("finished", json.readTree(first.resolve("candidate.json").toFile()).get("state").asText());
    List<Path> untouched = List.of(first.resolve("candidate.json"), first.resolve("metrics.jsonl"),
        first.resolve("models/net_g_final.zip"), first.resolve("train.log"));
    List<FileTime> times = untouched.stream().map(p -> uncheck(() -> Files.getLastModifiedTime(p))).toList();
    List<byte[]> bytes = untouched.stream().map(p -> uncheck(() -> Files.readAllBytes(p))).toList();
    String killedAt = newestCheckpoint(second).orElseThrow().getFileName().toString();
    long k = Long.parseLong(killedAt.replaceAll("\\D", ""));
    assertTrue(k > 0 && k < 300, killedAt);
    assertFalse(Files.exists(second.resolve("models/net_g_final.zip")), "candidate 2 had not finished");

    CliRunner.Result r = CliRunner.run("ablate", spec.toString(), "--resume");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("candidate 1 of 2 (lr-0.001_s3): already finished"), r.out());
    assertTrue(r.out().contains("resuming from"), r.out());
    for (int i = 0; i < untouched.size(); i++) {
      assertEquals(times.get(i), Files.getLastModifiedTime(untouched.get(i)), untouched.get(i) + " was rewritten");
      assertArrayEquals(bytes.get(i), Files.readAllBytes(untouched.get(i)), untouched.get(i).toString());
    }
    String trainLog = Files.readString(second.resolve("train.log"));
    assertTrue(trainLog.matches("(?s).*resuming from \\S*iter_\\d{8}\\.zip after iteration [1-9]\\d*.*"), trainLog);
    assertEquals("finished", json.readTree(second.resolve("candidate.json").toFile()).get("state").asText());
    assertEquals(300, json.readTree(second.resolve("candidate.json").toFile()).get("iterations").asLong());
    assertTrue(Files.exists(dir.resolve("runs/kill/results.md")));
  }

  private interface IoSupplier<T> {
    T get() throws IOException;
  }

  private static <T> T uncheck(IoSupplier<T> s) {
    try {
      return s.get();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
