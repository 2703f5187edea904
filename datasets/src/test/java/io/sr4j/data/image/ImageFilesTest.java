package io.sr4j.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.data.BadInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
  @TempDir Path dir;

  private static float[] randomPlane(Random rnd, int n, int maxCode) {
    float[] p = new float[n];
    for (int i = 0; i < n; i++) {
      p[i] = rnd.nextInt(maxCode + 1) / (float) maxCode;
    }
    return p;
  }

  private static void assertSamePixels(Image expected, Image actual) {
    assertEquals(expected.width(), actual.width());
    assertEquals(expected.height(), actual.height());
    assertEquals(expected.channels(), actual.channels());
    assertEquals(expected.bitDepth(), actual.bitDepth());
    for (int c = 0; c < expected.channels(); c++) {
      assertArrayEquals(expected.plane(c), actual.plane(c), 1e-7f, "plane " + c);
    }
    if (expected.hasAlpha()) {
      assertArrayEquals(expected.alpha(), actual.alpha(), 1e-7f, "alpha");
    } else {
      assertNull(actual.alpha());
    }
  }

  @Test
  void pngRoundTripsEveryLayoutAt8And16Bits() {
    Random rnd = new Random(1);
    int w = 13;
    int h = 7;
    int n = w * h;
    for (int depth : new int[] {8, 16}) {
      int max = depth == 8 ? 255 : 65535;
      Image gray = new Image(w, h, new float[][] {randomPlane(rnd, n, max)}, null, depth);
      Image grayAlpha = new Image(w, h, new float[][] {randomPlane(rnd, n, max)}, randomPlane(rnd, n, max), depth);
      Image rgb = new Image(w, h, new float[][] {randomPlane(rnd, n, max), randomPlane(rnd, n, max), randomPlane(rnd, n, max)}, null, depth);
      Image rgba = new Image(w, h, rgb.planes(), randomPlane(rnd, n, max), depth);
      for (Image img : new Image[] {gray, grayAlpha, rgb, rgba}) {
        Path f = dir.resolve("img_" + depth + "_" + img.channels() + img.hasAlpha() + ".png");
        ImageFiles.write(img, f);
        assertSamePixels(img, ImageFiles.read(f));
      }
    }
  }

  @Test
  void bmpRoundTripsAndJpegIsClose() {
    Random rnd = new Random(2);
    int w = 16;
    int h = 16;
    Image rgb = Image.of(w, h, randomPlane(rnd, w * h, 255), randomPlane(rnd, w * h, 255), randomPlane(rnd, w * h, 255));
    Path bmp = dir.resolve("a.bmp");
    ImageFiles.write(rgb, bmp);
    assertSamePixels(rgb, ImageFiles.read(bmp));

    float[] smooth = new float[w * h];
    for (int i = 0; i < smooth.length; i++) {
      smooth[i] = (i % w) / (float) w;
    }
    Image soft = Image.of(w, h, smooth, smooth, smooth);
    Path jpg = dir.resolve("a.jpg");
    ImageFiles.write(soft, jpg);
    Image back = ImageFiles.read(jpg);
    assertEquals(3, back.channels());
    for (int i = 0; i < smooth.length; i++) {
      assertEquals(smooth[i], back.plane(0)[i], 4 / 255f, "JPEG at quality 95 stays within 4 codes");
    }
  }

  @Test
  void writingReplacesAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
    Image a = Image.of(2, 2, new float[] {0, 1, 0, 1});
    Path f = dir.resolve("x.png");
    ImageFiles.write(a, f);
    Image b = Image.of(3, 1, new float[] {1, 0, 1});
    ImageFiles.write(b, f);
    assertSamePixels(b, ImageFiles.read(f));
    try (var s = Files.list(dir)) {
      assertEquals(1, s.count(), "only the target remains");
    }
  }

  @Test
  void jpegRefusesAlpha() {
    Image rgba = new Image(2, 2, new float[][] {new float[4], new float[4], new float[4]}, new float[4], 8);
    BadInputException e = assertThrows(BadInputException.class, () -> ImageFiles.write(rgba, dir.resolve("a.jpg")));
    assertTrue(e.getMessage().contains("a.jpg") && e.getMessage().contains("alpha"), e.getMessage());
  }

  @Test
  void emptyFileIsNamedAsEmpty() throws IOException {
    Path f = Files.createFile(dir.resolve("empty.png"));
    BadInputException e = assertThrows(BadInputException.class, () -> ImageFiles.read(f));
    assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("empty (0 bytes)"), e.getMessage());
  }

  @Test
  void truncatedPngIsNamedAsCorrupt() throws IOException {
    Random rnd = new Random(3);
    Image img = Image.of(64, 64, randomPlane(rnd, 4096, 255), randomPlane(rnd, 4096, 255), randomPlane(rnd, 4096, 255));
    Path f = dir.resolve("whole.png");
    ImageFiles.write(img, f);
    byte[] bytes = Files.readAllBytes(f);
    Path cut = dir.resolve("cut.png");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
    BadInputException e = assertThrows(BadInputException.class, () -> ImageFiles.read(cut));
    assertTrue(e.getMessage().startsWith(cut.toString()) && e.getMessage().contains("truncated or corrupt PNG"), e.getMessage());
  }

  @Test
  void textFileNamedPngIsRejected() throws IOException {
    Path f = dir.resolve("notes.png");
    Files.writeString(f, "these are not pixels\n", StandardCharsets.UTF_8);
    BadInputException e = assertThrows(BadInputException.class, () -> ImageFiles.read(f));
    assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("not a PNG, JPEG or BMP image"), e.getMessage());
  }

  @Test
  void missingFileAndDirectoryAreNamed() {
    Path missing = dir.resolve("nope.png");
    assertTrue(assertThrows(BadInputException.class, () -> ImageFiles.read(missing)).getMessage().contains("no such file"));
    assertTrue(assertThrows(BadInputException.class, () -> ImageFiles.read(dir)).getMessage().contains("is a directory"));
  }

  @Test
  void folderWithoutImagesIsRejected() throws IOException {
    Files.writeString(dir.resolve("readme.txt"), "x");
    BadInputException e = assertThrows(BadInputException.class, () -> ImageFiles.list(dir));
    assertTrue(e.getMessage().startsWith(dir.toString()) && e.getMessage().contains("no images found"), e.getMessage());
  }

  @Test
  void folderListingIsSortedAndFiltered() throws IOException {
    Image img = Image.of(1, 1, new float[] {0.5f});
    ImageFiles.write(img, dir.resolve("b.png"));
    ImageFiles.write(img, dir.resolve("a.bmp"));
    Files.writeString(dir.resolve("c.txt"), "x");
    assertEquals(java.util.List.of(dir.resolve("a.bmp"), dir.resolve("b.png")), ImageFiles.list(dir));
  }

  @Test
  void unknownOutputExtensionIsRejected() {
    Image img = Image.of(1, 1, new float[] {0.5f});
    BadInputException e = assertThrows(BadInputException.class, () -> ImageFiles.write(img, dir.resolve("x.tga")));
    assertTrue(e.getMessage().contains(".tga"), e.getMessage());
  }

  @Test
  void regionsAndDimensionsMatchTheFullDecode() {
    Random rnd = new Random(17);
    Image rgb8 = Image.of(23, 17, randomPlane(rnd, 23 * 17, 255), randomPlane(rnd, 23 * 17, 255),
        randomPlane(rnd, 23 * 17, 255));
    Image gray16 = new Image(19, 21, new float[][] {randomPlane(rnd, 19 * 21, 65535)}, null, 16);
    for (Image img : new Image[] {rgb8, gray16}) {
      Path file = dir.resolve("r" + img.bitDepth() + ".png");
      ImageFiles.write(img, file);
      assertEquals(new ImageFiles.Dimensions(img.width(), img.height()), ImageFiles.dimensions(file));
      assertSamePixels(ImageFiles.read(file).crop(3, 5, 9, 11), ImageFiles.readRegion(file, 3, 5, 9, 11));
      assertSamePixels(ImageFiles.read(file), ImageFiles.readRegion(file, 0, 0, img.width(), img.height()));
      BadInputException e = assertThrows(BadInputException.class,
          () -> ImageFiles.readRegion(file, 10, 0, img.width() - 9, 4));
      assertTrue(e.getMessage().contains(file.getFileName().toString()) && e.getMessage().contains("outside"),
          e.getMessage());
    }
  }
}
