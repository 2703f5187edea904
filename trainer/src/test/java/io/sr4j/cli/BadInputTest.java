package io.sr4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of bad input gives one error line that names the file or value, exit code 1 or 2, no stack trace. */
class BadInputTest {
  @TempDir Path dir;

  private static void assertOneLineError(CliRunner.Result r, int exit, String... mustContain) {
    assertEquals(exit, r.exit(), r.err());
    assertEquals(1, r.errLines(), "exactly one error line, got:\n" + r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace without --verbose");
    for (String s : mustContain) {
      assertTrue(r.err().contains(s), "error should mention '" + s + "': " + r.err());
    }
  }

  private Path hrFolderWith(String name, byte[] content) throws IOException {
    Path hr = Files.createDirectories(dir.resolve("hr"));
    Files.write(hr.resolve(name), content);
    return hr;
  }

  @Test
  void zeroByteImage() throws IOException {
    Path hr = hrFolderWith("empty.png", new byte[0]);
    assertOneLineError(CliRunner.run("evaluate", "-m", "bicubic", "--hr", hr.toString(), "-s", "2"), 1,
        "empty.png", "empty (0 bytes)");
  }

  @Test
  void truncatedPng() throws IOException {
    Path whole = dir.resolve("whole.png");
    float[] p = new float[96 * 96];
    for (int i = 0; i < p.length; i++) {
      p[i] = (i * 31 % 256) / 255f;
    }
    ImageFiles.write(Image.of(96, 96, p, p, p), whole);
    byte[] bytes = Files.readAllBytes(whole);
    Path hr = hrFolderWith("cut.png", Arrays.copyOf(bytes, bytes.length / 3));
    assertOneLineError(CliRunner.run("evaluate", "-m", "bicubic", "--hr", hr.toString(), "-s", "2"), 1,
        "cut.png", "truncated or corrupt");
  }

  @Test
  void textFileNamedPng() throws IOException {
    Path hr = hrFolderWith("fake.png", "hello, I am text\n".getBytes());
    assertOneLineError(CliRunner.run("evaluate", "-m", "bicubic", "--hr", hr.toString(), "-s", "2"), 1,
        "fake.png", "not a PNG, JPEG or BMP image");
    assertOneLineError(CliRunner.run("upscale", "-m", "bicubic", "-s", "2", "-i", hr.resolve("fake.png").toString(),
        "-o", dir.resolve("o.png").toString()), 1, "fake.png");
  }

  @Test
  void folderWithoutImages() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("nothing"));
    Files.writeString(empty.resolve("notes.txt"), "x");
    assertOneLineError(CliRunner.run("evaluate", "-m", "bicubic", "--hr", empty.toString(), "-s", "2"), 1,
        "nothing", "no images found");
  }

  @Test
  void scaleZeroAndSeven() {
    assertOneLineError(CliRunner.run("evaluate", "-m", "bicubic", "--hr", "Set5", "-s", "0"), 2, "'--scale': 0");
    assertOneLineError(CliRunner.run("evaluate", "-m", "bicubic", "--hr", "Set5", "-s", "7"), 2, "'--scale': 7");
    assertOneLineError(CliRunner.run("upscale", "-m", "bicubic", "-s", "7", "-i", "a.png", "-o", "b.png"), 2, "7");
    assertOneLineError(CliRunner.run("resize", "-s", "0", "-i", "a.png", "-o", "b.png"), 2, "'--scale': 0.0");
  }

  @Test
  void lrHrSizeMismatch() throws IOException {
    Path hr = Files.createDirectories(dir.resolve("hr"));
    Path lr = Files.createDirectories(dir.resolve("lr"));
    float[] big = new float[64 * 64];
    float[] small = new float[20 * 16];
    ImageFiles.write(Image.of(64, 64, big, big, big), hr.resolve("0001.png"));
    ImageFiles.write(Image.of(20, 16, small, small, small), lr.resolve("0001x4.png"));
    assertOneLineError(CliRunner.run("evaluate", "-m", "bicubic", "--hr", hr.toString(), "--lr", lr.toString(), "-s", "4"),
        1, "LR/HR size mismatch", "0001x4.png", "20x16", "64x64");
  }

  @Test
  void unknownModelAndSetAreNamed() {
    assertOneLineError(CliRunner.run("evaluate", "-m", "lanczos", "--hr", "Set5", "-s", "2"), 1, "lanczos", "bicubic");
    assertOneLineError(CliRunner.run("evaluate", "-m", "bicubic", "--hr", "Set42", "-s", "2"), 1, "Set42", "Set5, Set14, T91");
  }

  /** A .pth whose pickle calls os.system is refused before anything runs (fixture written by real PyTorch). */
  @Test
  void maliciousPthIsRefused() throws Exception {
    Path evil = Path.of(BadInputTest.class.getResource("/io/sr4j/ckpt/formats/evil_os_system_zip.pth").toURI());
    assertOneLineError(CliRunner.run("evaluate", "-m", evil.toString(), "--hr", "Set5", "-s", "4"), 1,
        "refusing to load", "os.system");
  }

  @Test
  void verboseAddsTheStackTrace() throws IOException {
    Path hr = hrFolderWith("empty.png", new byte[0]);
    CliRunner.Result r = CliRunner.run("evaluate", "-m", "bicubic", "--hr", hr.toString(), "-s", "2", "--verbose");
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("\tat io.sr4j"), r.err());
  }

  @Test
  void helpAndMissingCommand() {
    CliRunner.Result help = CliRunner.run("--help");
    assertEquals(0, help.exit());
    assertTrue(help.out().contains("evaluate") && help.out().contains("upscale"), help.out());
    CliRunner.Result sub = CliRunner.run("evaluate", "--help");
    assertEquals(0, sub.exit());
    assertTrue(sub.out().contains("--channel"), sub.out());
    assertOneLineError(CliRunner.run(), 2, "a command is required");
    assertOneLineError(CliRunner.run("evaluate", "--hr", "Set5", "-s", "2"), 2, "--model");
  }
}
