package io.sr4j.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.data.BadInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images that claim more than they hold or arrive damaged: decompression bombs refused from the header, truncated
 * data refused, EXIF orientation applied, unreadable folder entries named; and the streamed PNG rows are the
 * pixels {@link ImageFiles} reads and writes.
 */
class HostileImagesTest {
  @TempDir Path dir;

  /**
   * A solid gray {@code w x h} 8-bit PNG written row by row with PNGJ: every row is the same, so 20000 x 20000
   * takes a few seconds and compresses to about 430 KB.
   */
  static Path solidGrayPng(Path file, int w, int h, int code) throws IOException {
    try (java.io.OutputStream out = Files.newOutputStream(file)) {
      ar.com.hjg.pngj.PngWriter png = new ar.com.hjg.pngj.PngWriter(out, new ar.com.hjg.pngj.ImageInfo(w, h, 8,
          false, true, false));
      png.setFilterType(ar.com.hjg.pngj.FilterType.FILTER_NONE);
      png.setCompLevel(9);
      int[] row = new int[w];
      Arrays.fill(row, code);
      for (int y = 0; y < h; y++) {
        png.writeRowInt(row);
      }
      png.end();
    }
    return file;
  }

  private static Image pattern(int w, int h, int channels, boolean alpha, int depth, long seed) {
    Random rnd = new Random(seed);
    int max = depth == 8 ? 255 : 65535;
    float[][] planes = new float[channels][w * h];
    for (float[] p : planes) {
      for (int i = 0; i < p.length; i++) {
        p[i] = rnd.nextInt(max + 1) / (float) max;
      }
    }
    float[] a = null;
    if (alpha) {
      a = new float[w * h];
      for (int i = 0; i < a.length; i++) {
        a[i] = rnd.nextInt(max + 1) / (float) max;
      }
    }
    return new Image(w, h, planes, a, depth);
  }

  @Test
  void twentyThousandSquarePngIsRefusedFromItsHeader() throws IOException {
    Path png = solidGrayPng(dir.resolve("bomb.png"), 20000, 20000, 102);
    assertTrue(png.toFile().length() < 500_000, "small on disk: " + png.toFile().length());
    long start = System.nanoTime();
    BadInputException e = assertThrows(BadInputException.class, () -> ImageFiles.read(png));
    assertTrue((System.nanoTime() - start) / 1e9 < 5, "refused from the header");
    assertTrue(e.getMessage().contains("bomb.png: the image is 20000x20000 = 400,000,000 pixels, more than the limit "
        + "of 150,000,000"), e.getMessage());
    assertThrows(BadInputException.class, () -> ImageStreams.reader(png, PixelLimit.DEFAULT_MAX_PIXELS));
    assertEquals(new ImageFiles.Dimensions(20000, 20000), ImageFiles.dimensions(png));
    // a raised limit streams it: the first rows, without decoding the rest
    try (ImageStreams.RowReader rows = ImageStreams.reader(png, 400_000_000L)) {
      Image band = rows.readRows(3);
      assertEquals(20000, band.width());
      assertEquals(3, band.height());
      assertEquals(102 / 255f, band.get(0, 19999, 2), 1e-7f);
    }
  }

  @Test
  void streamedPngRowsAreTheDecodedPixels() {
    int w = 37;
    int h = 23;
    long seed = 0;
    for (int depth : new int[] {8, 16}) {
      for (int channels : new int[] {1, 3}) {
        for (boolean alpha : new boolean[] {false, true}) {
          Image img = pattern(w, h, channels, alpha, depth, seed++);
          Path f = dir.resolve("p" + depth + channels + alpha + ".png");
          ImageFiles.write(img, f);
          Image whole = ImageFiles.read(f);
          Image streamed;
          try (ImageStreams.RowReader rows = ImageStreams.reader(f, PixelLimit.DEFAULT_MAX_PIXELS)) {
            Image top = rows.readRows(10);
            Image rest = rows.readRows(100);
            assertEquals(13, rest.height());
            ImageStreams.ImageAssembler both = new ImageStreams.ImageAssembler(w, h);
            both.put(top, 0, 0);
            both.put(rest, 0, 10);
            streamed = both.image();
          }
          assertEquals(whole, streamed, f.toString());
          // written back by blocks (out of order within a band), the file decodes to the same pixels
          Path copy = dir.resolve("copy" + depth + channels + alpha + ".png");
          ImageStreams.write(copy, w, h, out -> {
            out.put(whole.crop(20, 0, 17, 12), 20, 0);
            out.put(whole.crop(0, 0, 20, 12), 0, 0);
            out.put(whole.crop(0, 12, 37, 11), 0, 12);
          });
          assertEquals(whole, ImageFiles.read(copy), copy.toString());
        }
      }
    }
  }

  @Test
  void truncatedPngIsRefusedByBothDecoders() throws IOException {
    Path whole = dir.resolve("whole.png");
    ImageFiles.write(pattern(120, 90, 3, false, 8, 7), whole);
    byte[] bytes = Files.readAllBytes(whole);
    Path cut = dir.resolve("cut.png");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length * 2 / 3));
    BadInputException e = assertThrows(BadInputException.class, () -> ImageFiles.read(cut));
    assertTrue(e.getMessage().startsWith(cut + ": truncated or corrupt PNG data"), e.getMessage());
    BadInputException streamed = assertThrows(BadInputException.class, () -> {
      try (ImageStreams.RowReader rows = ImageStreams.reader(cut, PixelLimit.DEFAULT_MAX_PIXELS)) {
        rows.readRows(90);
      }
    });
    assertTrue(streamed.getMessage().startsWith(cut + ": truncated or corrupt PNG data"), streamed.getMessage());
  }

  @Test
  void truncatedJpegIsRefused() throws IOException {
    Path whole = dir.resolve("whole.jpg");
    ImageFiles.write(pattern(160, 120, 3, false, 8, 3), whole);
    byte[] bytes = Files.readAllBytes(whole);
    for (int keep : new int[] {bytes.length / 2, bytes.length - 2}) { // half the data; only the end marker missing
      Path cut = dir.resolve("cut" + keep + ".jpg");
      Files.write(cut, Arrays.copyOf(bytes, keep));
      BadInputException e = assertThrows(BadInputException.class, () -> ImageFiles.read(cut));
      assertTrue(e.getMessage().startsWith(cut + ": truncated or corrupt JPEG data"), e.getMessage());
    }
  }

  /**
   * A 40x20 JPEG, left half black and right half white as stored, whose EXIF orientation 6 says it is shown
   * rotated 90 degrees clockwise: upright it is 20x40, black on top.
   */
  @Test
  void exifRotatedJpegIsReadUpright() throws IOException {
    float[] p = new float[40 * 20];
    for (int y = 0; y < 20; y++) {
      Arrays.fill(p, y * 40 + 20, y * 40 + 40, 1f);
    }
    Path plain = dir.resolve("plain.jpg");
    ImageFiles.write(Image.of(40, 20, p, p, p), plain);
    Path rotated = withExifOrientation(plain, dir.resolve("rotated.jpg"), 6);
    Image stored = ImageFiles.read(plain);
    Image upright = ImageFiles.read(rotated);
    assertEquals(40, stored.width());
    assertEquals(20, upright.width());
    assertEquals(40, upright.height());
    assertEquals(new ImageFiles.Dimensions(20, 40), ImageFiles.dimensions(rotated));
    assertTrue(upright.get(0, 10, 5) < 0.1f && upright.get(0, 10, 35) > 0.9f, "black on top, white below");
    // the upright pixel (x, y) is the stored pixel (y, h - 1 - x)
    for (int y = 0; y < 40; y++) {
      for (int x = 0; x < 20; x++) {
        assertEquals(stored.get(1, y, 19 - x), upright.get(1, x, y), 0f);
      }
    }
    Image region = ImageFiles.readRegion(rotated, 3, 25, 12, 9);
    assertEquals(upright.crop(3, 25, 12, 9), region);
    for (int o = 1; o <= 8; o++) {
      Path f = withExifOrientation(plain, dir.resolve("o" + o + ".jpg"), o);
      Image all = ImageFiles.read(f);
      assertEquals(all.crop(2, 3, 5, 7), ImageFiles.readRegion(f, 2, 3, 5, 7), "orientation " + o);
    }
  }

  /** {@code jpeg} with an APP1 Exif segment (little-endian TIFF, one IFD0 entry: Orientation) after SOI. */
  private static Path withExifOrientation(Path jpeg, Path out, int orientation) throws IOException {
    byte[] src = Files.readAllBytes(jpeg);
    ByteBuffer tiff = ByteBuffer.allocate(26).order(ByteOrder.LITTLE_ENDIAN);
    tiff.put(new byte[] {'I', 'I', 42, 0}).putInt(8); // header, IFD0 at offset 8
    tiff.putShort((short) 1); // one entry
    tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
    tiff.putInt(0); // no next IFD
    byte[] exif = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    int length = 2 + exif.length + tiff.capacity();
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(src, 0, 2); // SOI
    b.write(0xff);
    b.write(0xe1);
    b.write(length >> 8);
    b.write(length & 0xff);
    b.writeBytes(exif);
    b.writeBytes(tiff.array());
    b.write(src, 2, src.length - 2);
    Files.write(out, b.toByteArray());
    return out;
  }

  @Test
  void unreadableFolderEntriesAreNamed() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("hr"));
    ImageFiles.write(pattern(8, 8, 3, false, 8, 1), folder.resolve("a.png"));
    Files.createSymbolicLink(folder.resolve("b.png"), folder.resolve("gone.png"));
    Files.createSymbolicLink(folder.resolve("c.png"), folder.resolve("d.png"));
    Files.createSymbolicLink(folder.resolve("d.png"), folder.resolve("c.png"));
    Files.createDirectories(folder.resolve("sub.png"));
    Files.writeString(folder.resolve("notes.txt"), "not an image, ignored");
    BadInputException e = assertThrows(BadInputException.class, () -> ImageFiles.list(folder));
    String m = e.getMessage();
    assertTrue(m.startsWith(folder + ": 3 of its images cannot be read: "), m);
    assertTrue(m.contains("b.png (broken symbolic link to " + folder.resolve("gone.png") + ")"), m);
    assertTrue(m.contains("c.png (too many levels of symbolic links"), m);
    assertTrue(m.contains("d.png (too many levels of symbolic links"), m);
    Files.delete(folder.resolve("b.png"));
    Files.delete(folder.resolve("c.png"));
    Files.delete(folder.resolve("d.png"));
    assertEquals(List.of(folder.resolve("a.png")), ImageFiles.list(folder));
  }

  @Test
  void palettePngFallsBackToWholeDecoding() throws IOException {
    // a palette PNG written by ImageIO from an indexed BufferedImage
    java.awt.image.BufferedImage indexed =
        new java.awt.image.BufferedImage(9, 5, java.awt.image.BufferedImage.TYPE_BYTE_INDEXED);
    indexed.getRaster().setSample(4, 2, 0, 37);
    Path f = dir.resolve("indexed.png");
    javax.imageio.ImageIO.write(indexed, "png", f.toFile());
    try (ImageStreams.RowReader rows = ImageStreams.reader(f, PixelLimit.DEFAULT_MAX_PIXELS)) {
      assertEquals(ImageFiles.read(f), rows.readRows(5));
    }
  }

  @Test
  void samplePlanesMatchOnFirstAndLastRows() {
    Image img = pattern(5, 4, 3, false, 8, 9);
    try (ImageStreams.RowReader rows = ImageStreams.reader(img)) {
      assertArrayEquals(img.crop(0, 0, 5, 1).plane(2), rows.readRows(1).plane(2));
      assertArrayEquals(img.crop(0, 1, 5, 3).plane(0), rows.readRows(7).plane(0));
    }
  }
}
