package io.sr4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.data.resize.Imresize;
import io.sr4j.data.resize.ResizeKernel;
import io.sr4j.data.resize.SampleType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpscaleAndResizeCommandTest {
  @TempDir Path dir;

  private static float[] plane(Random rnd, int n, int max) {
    float[] p = new float[n];
    for (int i = 0; i < n; i++) {
      p[i] = rnd.nextInt(max + 1) / (float) max;
    }
    return p;
  }

  @Test
  void sixteenBitRgbaStaysSixteenBitRgba() {
    Random rnd = new Random(1);
    Image in = new Image(9, 7, new float[][] {plane(rnd, 63, 65535), plane(rnd, 63, 65535), plane(rnd, 63, 65535)},
        plane(rnd, 63, 65535), 16);
    Path src = dir.resolve("in.png");
    Path dst = dir.resolve("out.png");
    ImageFiles.write(in, src);
    CliRunner.Result r = CliRunner.run("upscale", "-m", "bicubic", "-s", "3", "-i", src.toString(), "-o", dst.toString());
    assertEquals(0, r.exit(), r.err());
    Image out = ImageFiles.read(dst);
    assertEquals(27, out.width());
    assertEquals(21, out.height());
    assertEquals(16, out.bitDepth());
    assertTrue(out.hasAlpha());
    Image expected = Imresize.resize(in, 3, ResizeKernel.BICUBIC, SampleType.FLOAT);
    for (int i = 0; i < expected.alpha().length; i++) {
      float e = Math.min(1f, Math.max(0f, expected.alpha()[i]));
      assertEquals(e, out.alpha()[i], 1f / 65535, "alpha sample " + i);
    }
  }

  @Test
  void folderOfGrayAndRgbImages() throws IOException {
    Random rnd = new Random(2);
    Path in = Files.createDirectories(dir.resolve("in"));
    ImageFiles.write(Image.of(5, 4, plane(rnd, 20, 255)), in.resolve("g.png"));
    ImageFiles.write(Image.of(6, 6, plane(rnd, 36, 255), plane(rnd, 36, 255), plane(rnd, 36, 255)), in.resolve("c.bmp"));
    Path out = dir.resolve("out");
    CliRunner.Result r = CliRunner.run("upscale", "-m", "nearest", "-s", "2", "-i", in.toString(), "-o", out.toString());
    assertEquals(0, r.exit(), r.err());
    Image g = ImageFiles.read(out.resolve("g.png"));
    assertEquals(1, g.channels());
    assertEquals(10, g.width());
    Image c = ImageFiles.read(out.resolve("c.png"));
    assertEquals(3, c.channels());
    assertEquals(12, c.height());
    Image src = ImageFiles.read(in.resolve("c.bmp"));
    assertEquals(src.get(1, 2, 3), c.get(1, 4, 6), 0f, "nearest x2 replicates pixels");
  }

  @Test
  void resizeShrinksLikeMatlabOnUint8() {
    Random rnd = new Random(3);
    Image in = Image.of(17, 11, plane(rnd, 187, 255), plane(rnd, 187, 255), plane(rnd, 187, 255));
    Path src = dir.resolve("in.png");
    Path dst = dir.resolve("small.png");
    ImageFiles.write(in, src);
    CliRunner.Result r = CliRunner.run("resize", "-s", "0.37", "-i", src.toString(), "-o", dst.toString());
    assertEquals(0, r.exit(), r.err());
    Image out = ImageFiles.read(dst);
    assertEquals(7, out.width()); // ceil(17 * 0.37) = ceil(6.29)
    assertEquals(5, out.height()); // ceil(11 * 0.37) = ceil(4.07)
    assertArrayEquals(Imresize.resize(in, 0.37, ResizeKernel.BICUBIC, SampleType.UINT8).plane(0), out.plane(0), 1e-7f);
  }

  @Test
  void resizeHelpDescribesEveryOption() {
    CliRunner.Result r = CliRunner.run("resize", "--help");
    assertEquals(0, r.exit(), r.err());
    for (String option : new String[] {"--input=FILE", "--output=FILE", "--scale=F", "--kernel=NAME"}) {
      String line = r.out().lines().filter(l -> l.contains(option)).findFirst()
          .orElseThrow(() -> new AssertionError(option));
      assertTrue(line.substring(line.indexOf(option) + option.length()).trim().length() > 10, "described: " + line);
    }
  }
}
