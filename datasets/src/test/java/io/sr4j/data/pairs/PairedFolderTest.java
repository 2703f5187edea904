package io.sr4j.data.pairs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.data.BadInputException;
import io.sr4j.data.color.YCbCr;
import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.data.resize.Imresize;
import io.sr4j.data.resize.ResizeBorder;
import io.sr4j.data.resize.ResizeKernel;
import io.sr4j.data.resize.SampleType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairedFolderTest {
  @TempDir Path dir;

  private static Image randomRgb(int w, int h, long seed) {
    Random rnd = new Random(seed);
    float[][] p = new float[3][w * h];
    for (float[] plane : p) {
      for (int i = 0; i < plane.length; i++) {
        plane[i] = rnd.nextInt(256) / 255f;
      }
    }
    return Image.of(w, h, p);
  }

  @Test
  void synthesizedRgb8IsMatlabBicubicOfTheModcroppedHr() throws IOException {
    Path hr = Files.createDirectory(dir.resolve("hr"));
    Image img = randomRgb(50, 37, 1);
    ImageFiles.write(img, hr.resolve("pic.png"));
    PairedFolder set = PairedFolder.synthesized(hr, 4, LrSynthesis.RGB8);
    PairedSample s = set.load(0);
    assertEquals("pic", s.name());
    assertEquals(48, s.hr().width());
    assertEquals(36, s.hr().height());
    assertEquals(12, s.lr().width());
    assertEquals(9, s.lr().height());
    Image expected = Imresize.resize(img.cropTopLeft(48, 36), 0.25, ResizeKernel.BICUBIC, SampleType.UINT8);
    assertArrayEquals(expected.plane(2), s.lr().plane(2));
  }

  @Test
  void synthesizedLumaIsTheSrcnnPipeline() throws IOException {
    Path hr = Files.createDirectory(dir.resolve("hr"));
    Image img = randomRgb(31, 30, 2);
    ImageFiles.write(img, hr.resolve("pic.png"));
    PairedSample s = PairedFolder.synthesized(hr, 3, LrSynthesis.LUMA).load(0);
    assertEquals(1, s.hr().channels());
    float[] y = YCbCr.lumaUint8(img.cropTopLeft(30, 30));
    assertArrayEquals(y, s.hr().plane(0));
    Image lr = Imresize.resize(Image.of(30, 30, y), 1.0 / 3, ResizeKernel.BICUBIC, SampleType.FLOAT,
        ResizeBorder.REPLICATE);
    assertArrayEquals(lr.plane(0), s.lr().plane(0));
    Image mirrored = Imresize.resize(Image.of(30, 30, y), 1.0 / 3, ResizeKernel.BICUBIC, SampleType.FLOAT);
    assertFalse(Arrays.equals(mirrored.plane(0), s.lr().plane(0)), "the release's imresize replicates the edges");
  }

  @Test
  void div2kNamingPairsAndCropsHr() throws IOException {
    Path hr = Files.createDirectory(dir.resolve("hr"));
    Path lr = Files.createDirectory(dir.resolve("lr"));
    ImageFiles.write(randomRgb(34, 27, 3), hr.resolve("0001.png")); // 34x27 at x4 pairs with 8x6 (HR cropped to 32x24)
    ImageFiles.write(randomRgb(8, 6, 4), lr.resolve("0001x4.png"));
    ImageFiles.write(randomRgb(16, 16, 5), hr.resolve("0002.png"));
    ImageFiles.write(randomRgb(4, 4, 6), lr.resolve("0002.png")); // same-name LR is accepted too
    PairedFolder set = PairedFolder.withLrFolder(hr, lr, 4);
    assertEquals(2, set.size());
    PairedSample s = set.load(0);
    assertEquals(32, s.hr().width());
    assertEquals(24, s.hr().height());
    assertEquals(16, set.load(1).hr().width());
  }

  @Test
  void missingLrPartnerIsNamed() throws IOException {
    Path hr = Files.createDirectory(dir.resolve("hr"));
    Path lr = Files.createDirectory(dir.resolve("lr"));
    ImageFiles.write(randomRgb(8, 8, 7), hr.resolve("0003.png"));
    ImageFiles.write(randomRgb(2, 2, 8), lr.resolve("other.png"));
    BadInputException e = assertThrows(BadInputException.class, () -> PairedFolder.withLrFolder(hr, lr, 4));
    assertTrue(e.getMessage().contains("0003x4.png") && e.getMessage().contains("0003.png"), e.getMessage());
  }

  @Test
  void sizeMismatchNamesBothFilesAndSizes() throws IOException {
    Path hr = Files.createDirectory(dir.resolve("hr"));
    Path lr = Files.createDirectory(dir.resolve("lr"));
    ImageFiles.write(randomRgb(40, 40, 9), hr.resolve("0001.png"));
    ImageFiles.write(randomRgb(12, 10, 10), lr.resolve("0001x4.png"));
    BadInputException e = assertThrows(BadInputException.class, () -> PairedFolder.withLrFolder(hr, lr, 4).load(0));
    String m = e.getMessage();
    assertTrue(m.startsWith("LR/HR size mismatch") && m.contains("0001x4.png") && m.contains("12x10")
        && m.contains("48x40") && m.contains("40x40"), m);
  }

  @Test
  void tooSmallImageIsNamed() throws IOException {
    Path hr = Files.createDirectory(dir.resolve("hr"));
    ImageFiles.write(randomRgb(3, 3, 11), hr.resolve("tiny.png"));
    BadInputException e = assertThrows(BadInputException.class, () -> PairedFolder.synthesized(hr, 4, LrSynthesis.RGB8).load(0));
    assertTrue(e.getMessage().contains("tiny.png") && e.getMessage().contains("smaller than the scale 4"), e.getMessage());
  }

  @Test
  void bundledSetsResolveByNameAndUnknownNamesAreExplained() {
    Path set5 = BundledData.resolveHrFolder("set5");
    assertTrue(set5.endsWith(Path.of("Set5", "HR")), set5.toString());
    assertEquals(5, ImageFiles.list(set5).size());
    assertEquals(14, ImageFiles.list(BundledData.resolveHrFolder("Set14")).size());
    assertEquals(91, ImageFiles.list(BundledData.resolveHrFolder("T91")).size());
    BadInputException e = assertThrows(BadInputException.class, () -> BundledData.resolveHrFolder("Set99"));
    assertTrue(e.getMessage().contains("Set99") && e.getMessage().contains("Set5, Set14, T91"), e.getMessage());
  }
}
