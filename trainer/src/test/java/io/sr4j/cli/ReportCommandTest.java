package io.sr4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
  @TempDir Path dir;

  private Path run(String name) throws IOException {
    Path run = dir.resolve(name);
    Files.createDirectories(run);
    Files.writeString(run.resolve("config.yml"), "name: " + name + "\nscale: 4\n");
    Files.writeString(run.resolve("metrics.jsonl"), "{\"iter\": 10, \"l_pix\": 0.5}\n");
    return run;
  }

  @Test
  void aRunFolderGetsItsReportAndAFolderOfRunsAlsoItsIndex() throws IOException {
    Path a = run("a");
    run("b");
    CliRunner.Result one = CliRunner.run("report", a.toString());
    assertEquals(0, one.exit(), one.err());
    assertTrue(one.out().startsWith("wrote " + a.resolve("report.html") + " ("), one.out());
    assertTrue(Files.isRegularFile(a.resolve("report.html")));

    CliRunner.Result all = CliRunner.run("report", dir.toString());
    assertEquals(0, all.exit(), all.err());
    assertEquals(3, all.out().lines().count(), all.out());
    assertTrue(Files.isRegularFile(dir.resolve("b/report.html")));
    assertTrue(Files.readString(dir.resolve("index.html")).contains("href=\"b/report.html\""));
  }

  @Test
  void aFolderWithoutRunsIsOneLineError() throws IOException {
    Files.createDirectories(dir.resolve("empty"));
    CliRunner.Result r = CliRunner.run("report", dir.resolve("empty").toString());
    assertEquals(1, r.exit());
    assertEquals(1, r.errLines(), r.err());
    assertTrue(r.err().contains("empty: neither a run folder"), r.err());
    CliRunner.Result missing = CliRunner.run("report", dir.resolve("nope").toString());
    assertEquals(1, missing.exit());
    assertTrue(missing.err().contains("nope: no such folder"), missing.err());
  }
}
