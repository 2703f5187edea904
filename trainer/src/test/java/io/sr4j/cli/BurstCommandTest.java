package io.sr4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sr burst, sr burst synth and sr burst bench end to end on small generated images, and their input errors. */
class BurstCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** A smooth random RGB image with some edges, {@code w x h}, 8-bit. */
  private static Image scene(int w, int h, long seed) {
    Random rnd = new Random(seed);
    float[][] planes = new float[3][w * h];
    double[] f = {rnd.nextDouble() * 0.2, rnd.nextDouble() * 0.2, rnd.nextDouble() * 0.2};
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < 3; c++) {
          double v = 0.5 + 0.3 * Math.sin(f[c] * x + 0.13 * y) * Math.cos(0.07 * x - f[c] * y) + (x > w / 2 ? 0.1 : 0);
          planes[c][y * w + x] = Math.round(v * 255) / 255f;
        }
      }
    }
    return Image.of(w, h, planes);
  }

  private static void assertOneLineError(CliRunner.Result r, int exit, String... mustContain) {
    assertEquals(exit, r.exit(), r.err());
    assertEquals(1, r.errLines(), "exactly one error line, got:\n" + r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace");
    for (String s : mustContain) {
      assertTrue(r.err().contains(s), "error should mention '" + s + "': " + r.err());
    }
  }

  private Path synth(String name, String... extra) throws IOException {
    Path hr = dir.resolve(name + ".png");
    ImageFiles.write(scene(96, 80, name.hashCode()), hr);
    Path out = dir.resolve(name);
    String[] args = {"burst", "synth", "--hr", hr.toString(), "--frames", "4", "--scale", "2", "--noise", "0.01",
        "--out", out.toString()};
    String[] all = new String[args.length + extra.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(extra, 0, all, args.length, extra.length);
    CliRunner.Result r = CliRunner.run(all);
    assertEquals(0, r.exit(), r.err());
    return out;
  }

  @Test
  void synthWritesFramesTruthAndHr() throws IOException {
    Path out = synth("scene", "--rotation", "0.5", "--moving-patch", "--psf", "gaussian", "--seed", "3");
    for (int n = 0; n < 4; n++) {
      Image f = ImageFiles.read(out.resolve(String.format("frame_%02d.png", n)));
      assertEquals(48, f.width());
      assertEquals(40, f.height());
      assertEquals(8, f.bitDepth());
    }
    assertEquals(96, ImageFiles.read(out.resolve("hr.png")).width());
    JsonNode truth = JSON.readTree(out.resolve("truth.json").toFile());
    assertEquals(4, truth.get("frames").size());
    assertEquals(0.0, truth.get("frames").get(0).get("shift_x").asDouble());
    double sx = truth.get("frames").get(2).get("shift_x").asDouble();
    assertTrue(sx != 0 && Math.abs(sx) <= 2, "shift " + sx);
    assertTrue(Math.abs(truth.get("frames").get(2).get("rotation_deg").asDouble()) <= 0.5);
    assertEquals(1, truth.get("moving_patch").get("frame").asInt());
    assertEquals(3, truth.get("options").get("seed").asInt());
  }

  @Test
  void burstMergesFramesAndSavesTheFlow() throws IOException {
    Path frames = synth("merge");
    Path out = dir.resolve("sr.png");
    Path flow = dir.resolve("flow.json");
    CliRunner.Result r = CliRunner.run("burst", "--input", frames.resolve("frame_00.png").toString(),
        frames.resolve("frame_01.png").toString(), frames.resolve("frame_02.png").toString(),
        frames.resolve("frame_03.png").toString(), "--scale", "2", "--output", out.toString(),
        "--save-flow", flow.toString(), "--reference", "sharpest");
    assertEquals(0, r.exit(), r.err());
    Image sr = ImageFiles.read(out);
    assertEquals(96, sr.width());
    assertEquals(80, sr.height());
    JsonNode json = JSON.readTree(flow.toFile());
    assertEquals(4, json.get("frames").size());
    assertEquals("tiles", json.get("frames").get(1).get("type").asText());
    // the estimated tile displacements agree with the synthetic truth (frames relative to the reference chosen)
    JsonNode truth = JSON.readTree(frames.resolve("truth.json").toFile());
    String reference = json.get("reference").asText();
    int ref = Integer.parseInt(reference.substring(reference.length() - 6, reference.length() - 4));
    JsonNode est = json.get("frames").get(3);
    double expected = truth.get("frames").get(3).get("shift_x").asDouble() - truth.get("frames").get(ref).get("shift_x").asDouble();
    double mean = 0;
    for (JsonNode v : est.get("dx")) {
      mean += v.asDouble() / est.get("dx").size();
    }
    assertEquals(expected, mean, 0.3, "mean tile dx of frame 3");
  }

  @Test
  void grayAndSixteenBitFramesWork() throws IOException {
    Path frames = synth("depth");
    Path gray = Files.createDirectories(dir.resolve("gray16"));
    for (int n = 0; n < 4; n++) {
      Image f = ImageFiles.read(frames.resolve(String.format("frame_%02d.png", n)));
      ImageFiles.write(new Image(f.width(), f.height(), new float[][] {f.plane(1)}, null, 16), gray.resolve("f" + n + ".png"));
    }
    Path out = dir.resolve("gray16.png");
    CliRunner.Result r = CliRunner.run("burst", "--input", gray.toString(), "--scale", "1.5", "--output", out.toString(),
        "--kernel", "iso", "--robustness", "off", "--align", "global");
    assertEquals(0, r.exit(), r.err());
    Image sr = ImageFiles.read(out);
    assertTrue(sr.isGray());
    assertEquals(16, sr.bitDepth());
    assertEquals(72, sr.width());
    CliRunner.Result bp = CliRunner.run("burst", "--input", gray.toString(), "--scale", "2", "--output",
        dir.resolve("bp.png").toString(), "--method", "back-projection");
    assertEquals(0, bp.exit(), bp.err());
    assertEquals(96, ImageFiles.read(dir.resolve("bp.png")).width());
  }

  @Test
  void benchWritesTablesAndJson() throws IOException {
    Path set = Files.createDirectories(dir.resolve("set"));
    ImageFiles.write(scene(80, 64, 1), set.resolve("a.png"));
    ImageFiles.write(scene(72, 72, 2), set.resolve("b.png"));
    Path md = dir.resolve("bench.md");
    Path json = dir.resolve("bench.json");
    CliRunner.Result r = CliRunner.run("burst", "bench", "--hr", set.toString(), "--frames", "1,3", "--noise", "0",
        "--scale", "2", "--md", md.toString(), "--json", json.toString());
    assertEquals(0, r.exit(), r.err());
    String table = Files.readString(md);
    assertTrue(table.contains("| anisotropic merge + robustness (tile alignment) |"), table);
    assertTrue(table.contains("| N = 1 | N = 3 |"), table);
    JsonNode j = JSON.readTree(json.toFile());
    assertEquals(2, j.get("images").asInt());
    // 2 burst sizes x 7 methods, per image and as means
    assertEquals(14, j.get("mean").size());
    assertEquals(28, j.get("per_image").size());
    assertTrue(j.get("mean").get(0).get("epePx").isNull(), "no motion estimated for one frame");
    for (JsonNode row : j.get("mean")) {
      assertTrue(row.get("psnr").asDouble() > 20 && row.get("psnr").asDouble() < 80, row.toString());
    }
  }

  @Test
  void badInputGivesOneLine() throws IOException {
    Path frames = synth("bad");
    Path out = dir.resolve("o.png");
    assertOneLineError(CliRunner.run("burst", "--input", dir.resolve("missing.png").toString(), "--scale", "2",
        "--output", out.toString()), 1, "missing.png", "no such file");
    // the synth folder also holds hr.png, twice the frames' size
    assertOneLineError(CliRunner.run("burst", "--input", frames.toString(), "--scale", "2", "--output", out.toString()),
        1, "hr.png", "one size");
    assertOneLineError(CliRunner.run("burst", "--input", frames.resolve("frame_00.png").toString(), "--scale", "5",
        "--output", out.toString()), 2, "'--scale': 5.0");
    assertOneLineError(CliRunner.run("burst", "--input", frames.resolve("frame_00.png").toString(), "--scale", "2",
        "--output", out.toString(), "--kernel", "round"), 2, "'--kernel': round", "aniso or iso");
    assertOneLineError(CliRunner.run("burst", "--input", frames.toString(), "--scale", "2", "--output",
        dir.resolve("o.tiff").toString()), 1, "o.tiff", "expected .png");
    assertOneLineError(CliRunner.run("burst", "--scale", "2"), 2, "--input");
    assertOneLineError(CliRunner.run("burst", "synth", "--hr", "Set77", "--out", dir.toString()), 1, "Set77");
    assertOneLineError(CliRunner.run("burst", "bench", "--hr", "Set5", "--frames", "0"), 2, "'--frames': 0");
    assertOneLineError(CliRunner.run("burst", "bench", "--hr", "Set5", "--noise", "-1"), 2, "'--noise': -1.0");
  }
}
