package io.sr4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.com.hjg.pngj.FilterType;
import ar.com.hjg.pngj.ImageInfo;
import ar.com.hjg.pngj.PngWriter;
import io.sr4j.data.color.Quantize;
import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.data.image.ImageStreams;
import io.sr4j.infer.Models;
import io.sr4j.infer.TiledUpscaler;
import io.sr4j.infer.Upscaler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sr upscale --tile} streams PNG input and output: it gives the pixels of in-memory tiled upscaling (within
 * one code of whole-image upscaling, as before), for every image layout and for Y-channel pre-upsampling models;
 * it upscales an image whose output is larger than the heap of the JVM it runs in; and images larger than
 * {@code --max-pixels} are refused from their header by every command that reads images.
 */
class StreamedUpscaleTest {
  private static final String SRCNN = "../pretrained/srcnn_955_x2.zip";

  @TempDir Path dir;

  private static Image pattern(int w, int h, int channels, boolean alpha, int depth, long seed) {
    Random rnd = new Random(seed);
    int max = depth == 8 ? 255 : 65535;
    float[][] planes = new float[channels][w * h];
    for (float[] p : planes) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) { // smooth content plus noise, as photos are
          double v = 0.5 + 0.3 * Math.sin(x / 5.0 + p.length % 7) * Math.cos(y / 7.0) + rnd.nextGaussian() * 0.05;
          p[y * w + x] = Math.round(Math.min(1, Math.max(0, v)) * max) / (float) max;
        }
      }
    }
    float[] a = alpha ? planes[0].clone() : null;
    return new Image(w, h, planes, a, depth);
  }

  /** Largest difference in codes of the file's samples from {@code expected}'s (quantised as files store them). */
  private static int maxCodeDifference(Image expected, Image actual, int maxCode) {
    assertEquals(expected.width(), actual.width());
    assertEquals(expected.height(), actual.height());
    assertEquals(expected.channels(), actual.channels());
    assertEquals(expected.hasAlpha(), actual.hasAlpha());
    int worst = 0;
    for (int c = 0; c <= expected.channels(); c++) {
      float[] e = c < expected.channels() ? expected.plane(c) : expected.alpha();
      float[] a = c < expected.channels() ? actual.plane(c) : actual.alpha();
      if (e == null) {
        continue;
      }
      for (int i = 0; i < e.length; i++) {
        worst = Math.max(worst, Math.abs(Quantize.toCode(e[i], maxCode) - Quantize.toCode(a[i], maxCode)));
      }
    }
    return worst;
  }

  @Test
  void streamedTilesAreTheTiledAndNearlyTheWholeImagePixels() {
    int variant = 0;
    for (String model : List.of("bicubic", SRCNN)) {
      Upscaler upscaler = Models.open(Models.ModelSpec.of(model), 2);
      for (int depth : new int[] {8, 16}) {
        for (int channels : new int[] {1, 3}) {
          for (boolean alpha : new boolean[] {false, true}) {
            if (model.equals(SRCNN) && (depth == 16 || alpha) && channels == 1) {
              continue; // the Y-channel path is the same for these; keep the test short
            }
            Image lr = pattern(45, 38, channels, alpha, depth, variant);
            Path in = dir.resolve("in" + variant + ".png");
            Path out = dir.resolve("out" + variant + ".png");
            ImageFiles.write(lr, in);
            CliRunner.Result r = CliRunner.run("upscale", "-m", model, "-s", "2", "--tile", "16", "--tile-pad", "8",
                "-i", in.toString(), "-o", out.toString());
            assertEquals(0, r.exit(), r.err());
            Image streamed = ImageFiles.read(out);
            assertEquals(depth, streamed.bitDepth());
            int maxCode = depth == 8 ? 255 : 65535;
            Image tiled = new TiledUpscaler(upscaler, 16, 8, n -> {}).upscale(ImageFiles.read(in));
            String what = model + " " + depth + "-bit " + channels + " planes alpha " + alpha;
            assertEquals(0, maxCodeDifference(tiled, streamed, maxCode), what + ": streamed = in-memory tiles");
            int whole = maxCodeDifference(upscaler.upscale(ImageFiles.read(in)), streamed, maxCode);
            assertTrue(whole <= (depth == 8 ? 1 : 257), what + ": tiles within one 8-bit code of whole, got " + whole);
            variant++;
          }
        }
      }
    }
  }

  /** A solid {@code w x h} 8-bit PNG (gray or RGB) written row by row: large in pixels, small on disk. */
  static Path solidPng(Path file, int w, int h, int... codes) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      PngWriter png = new PngWriter(out, new ImageInfo(w, h, 8, false, codes.length == 1, false));
      png.setFilterType(FilterType.FILTER_NONE);
      png.setCompLevel(9);
      int[] row = new int[w * codes.length];
      for (int i = 0; i < row.length; i++) {
        row[i] = codes[i % codes.length];
      }
      for (int y = 0; y < h; y++) {
        png.writeRowInt(row);
      }
      png.end();
    }
    return file;
  }

  @Test
  void everyCommandRefusesImagesBeyondMaxPixelsFromTheHeader() throws IOException {
    Path bomb = solidPng(dir.resolve("bomb.png"), 20000, 20000, 77);
    assertTrue(Files.size(bomb) < 500_000);
    String expected = "bomb.png: the image is 20000x20000 = 400,000,000 pixels, more than the limit of 150,000,000";
    Path hr = Files.createDirectories(dir.resolve("hr"));
    Files.copy(bomb, hr.resolve("bomb.png"));
    List<String[]> commands = List.of(
        new String[] {"upscale", "-m", "bicubic", "-s", "2", "-i", bomb.toString(), "-o", dir.resolve("o.png").toString()},
        new String[] {"upscale", "-m", "bicubic", "-s", "2", "--tile", "256", "-i", bomb.toString(), "-o",
            dir.resolve("o.png").toString()},
        new String[] {"evaluate", "-m", "bicubic", "-s", "2", "--hr", hr.toString()},
        new String[] {"niqe", bomb.toString()},
        new String[] {"resize", "-s", "0.5", "-i", bomb.toString(), "-o", dir.resolve("r.png").toString()},
        new String[] {"data", "extract-subimages", "--input", hr.toString(), "--output", dir.resolve("sub").toString()});
    for (String[] command : commands) {
      long start = System.nanoTime();
      CliRunner.Result r = CliRunner.run(command);
      assertEquals(1, r.exit(), String.join(" ", command) + ": " + r.err());
      assertEquals(1, r.errLines(), r.err());
      assertTrue(r.err().contains(expected), r.err());
      assertTrue((System.nanoTime() - start) / 1e9 < 5, String.join(" ", command) + " refused from the header");
    }
    // with the limit raised, a band of 20000 rows needs 4.8 GB of heap (the test JVM has 4): refused upfront
    long heapMiB = Runtime.getRuntime().maxMemory() >> 20;
    if (heapMiB < 4500) {
      CliRunner.Result r = CliRunner.run("upscale", "-m", "bicubic", "-s", "2", "--tile", "20000", "--max-pixels",
          "400000000", "-i", bomb.toString(), "-o", dir.resolve("o.png").toString());
      assertEquals(1, r.exit(), r.err());
      assertTrue(r.err().contains("bomb.png: upscaling a band of --tile 20000 (+ 2 x --tile-pad 16) rows needs at "
          + "least 4,577 MiB of Java heap"), r.err());
      assertTrue(r.err().contains("use a smaller --tile"), r.err());
    }
    // a lower limit applies to small images too
    Path small = solidPng(dir.resolve("small.png"), 300, 200, 1, 2, 3);
    CliRunner.Result r = CliRunner.run("niqe", "--max-pixels", "50000", small.toString());
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("small.png: the image is 300x200 = 60,000 pixels, more than the limit of 50,000"), r.err());
    assertEquals(2, CliRunner.run("niqe", "--max-pixels", "0", small.toString()).exit());
  }

  @Test
  void tileSizesAreRangeChecked() throws IOException {
    Path in = solidPng(dir.resolve("in.png"), 20, 20, 5);
    for (String[] bad : List.of(new String[] {"--tile", "-1"}, new String[] {"--tile", "40000"},
        new String[] {"--tile", "16", "--tile-pad", "2000000000"})) {
      List<String> args = new ArrayList<>(List.of("upscale", "-m", "bicubic", "-s", "2", "-i", in.toString(), "-o",
          dir.resolve("o.png").toString()));
      args.addAll(Arrays.asList(bad));
      CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
      assertEquals(1, r.exit(), r.err());
      assertTrue(r.err().contains("--tile and --tile-pad must be 0 to 32768"), r.err());
    }
  }

  /**
   * An 8000 x 8000 RGB PNG upscaled x2 to 16000 x 16000 (768 MB of samples, 3 GB as float planes) by a child JVM
   * with a 256 MB heap; then SRCNN (Y channel, pre-upsampling) in the same heap. Memory does not grow with the
   * image: the heap is far smaller than the output.
   */
  @Test
  void tiledUpscaleOfAnImageLargerThanTheHeap() throws Exception {
    Path in = solidPng(dir.resolve("big.png"), 8000, 8000, 40, 120, 200);
    Path out = dir.resolve("big_x2.png");
    Child bicubic = runChild("bicubic", in, out, "256");
    assertEquals(0, bicubic.exit(), bicubic.output());
    assertEquals(new ImageFiles.Dimensions(16000, 16000), ImageFiles.dimensions(out));
    try (ImageStreams.RowReader rows = ImageStreams.reader(out, 300_000_000L)) {
      Image band = rows.readRows(600); // the first two bands of tiles and part of the third
      for (int c = 0; c < 3; c++) {
        float expected = new int[] {40, 120, 200}[c] / 255f;
        for (float v : band.plane(c)) {
          assertEquals(expected, v, 1e-7f, "a solid image stays solid");
        }
      }
    }
    Files.delete(out);

    Path smallIn = dir.resolve("photo.png");
    ImageFiles.write(pattern(300, 240, 3, false, 8, 5), smallIn);
    Path smallOut = dir.resolve("photo_x2.png");
    Child srcnn = runChild(SRCNN, smallIn, smallOut, "100");
    assertEquals(0, srcnn.exit(), srcnn.output());
    Image expected = new TiledUpscaler(Models.open(Models.ModelSpec.of(SRCNN), 2), 100, 16, n -> {})
        .upscale(ImageFiles.read(smallIn));
    assertEquals(0, maxCodeDifference(expected, ImageFiles.read(smallOut), 255));
  }

  private record Child(int exit, String output) {}

  /** Runs {@code sr upscale --tile} in a JVM with a 256 MB heap and 1 GB of off-heap memory for ND4J. */
  private static Child runChild(String model, Path in, Path out, String tile) throws Exception {
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-Dorg.bytedeco.javacpp.maxbytes=1g", "-Dorg.bytedeco.javacpp.maxphysicalbytes=3g",
        "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), "io.sr4j.cli.Main",
        "upscale", "-m", model, "-s", "2", "--tile", tile, "--max-pixels", "100000000", "--stats",
        "-i", in.toString(), "-o", out.toString());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(5, TimeUnit.MINUTES));
    System.out.println("child JVM (-Xmx256m), " + model + ": " + output.lines()
        .filter(l -> l.startsWith("time ")).findFirst().orElse("(no stats)"));
    return new Child(p.exitValue(), output);
  }
}
