package io.sr4j.data.pairs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.data.BadInputException;
import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.data.metrics.Psnr;
import io.sr4j.data.resize.Imresize;
import io.sr4j.data.resize.ResizeKernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Coarse global alignment of roughly aligned HR/LR pairs. */
class PairAlignmentTest {
  @TempDir Path dir;

  /**
   * An HR file cut from a bundled image at (16, 16) and an LR file made by MATLAB bicubic from the same image cut at
   * (16 + dx, 16 + dy), a slightly different size: the LR shows the scene moved by (dx, dy) HR pixels.
   */
  private PairedFolder roughPair(String image, int scale, int dx, int dy) throws IOException {
    Image source = ImageFiles.read(BundledData.resolveHrFolder("Set14").resolve(image));
    Path hr = Files.createDirectories(dir.resolve("hr-" + dx + "_" + dy));
    Path lr = Files.createDirectories(dir.resolve("lr-" + dx + "_" + dy));
    ImageFiles.write(source.crop(16, 16, 200, 160), hr.resolve("a.png"));
    Image moved = source.crop(16 + dx, 16 + dy, 196, 164);
    ImageFiles.write(Imresize.resize(moved, 1.0 / scale, ResizeKernel.BICUBIC), lr.resolve("ax" + scale + ".png"));
    return PairedFolder.withLrFolder(hr, lr, scale);
  }

  @Test
  void findsTheWholePixelOffsetAndCutsAnAlignedPair() throws IOException {
    for (int[] d : new int[][] {{5, -3}, {-7, 2}, {0, 0}}) {
      PairedFolder folder = roughPair("barbara.png", 4, d[0], d[1]);
      PairAlignment.Aligned a = PairAlignment.align(folder, 0, 32);
      assertEquals(d[0], a.pair().offsetX(), "x offset " + a.pair());
      assertEquals(d[1], a.pair().offsetY(), "y offset " + a.pair());
      assertEquals(d[0], a.pair().shiftX(), 0.3, "sub-pixel estimate");
      assertEquals(4 * a.lr().width(), a.hr().width());
      assertEquals(4 * a.lr().height(), a.hr().height());
      // the aligned HR crop downscales to the LR crop, up to 8-bit rounding and the crops' borders
      Image down = Imresize.resize(a.hr(), 0.25, ResizeKernel.BICUBIC);
      int w = a.lr().width() - 4;
      int h = a.lr().height() - 4;
      double aligned = Psnr.of(planes(down.crop(2, 2, w, h)), planes(a.lr().crop(2, 2, w, h)), 1);
      assertTrue(aligned > 38, d[0] + "," + d[1] + ": " + aligned + " dB");
    }
  }

  @Test
  void writesAFolderPairThatTrainingAcceptsAndRefusesImplausibleShifts() throws IOException {
    PairedFolder folder = roughPair("lenna.png", 2, 6, 4);
    Path hrOut = dir.resolve("aligned/HR");
    Path lrOut = dir.resolve("aligned/LR");
    List<PairAlignment.Pair> pairs = PairAlignment.alignFolder(folder, 16, hrOut, lrOut, 2);
    assertEquals(1, pairs.size());
    assertEquals(6, pairs.get(0).offsetX());
    assertEquals(4, pairs.get(0).offsetY());
    PairedFolder aligned = PairedFolder.withLrFolder(hrOut, lrOut, 2);
    PairedSample s = aligned.load(0); // sizes checked: HR is exactly 2 x LR
    assertEquals(2 * s.lr().width(), s.hr().width());
    assertTrue(Files.isRegularFile(lrOut.resolve("ax2.png")));
    BadInputException e = assertThrows(BadInputException.class, () -> PairAlignment.align(folder, 0, 3));
    assertTrue(e.getMessage().contains("a.png") && e.getMessage().contains("largest shift 3 px"), e.getMessage());
    assertThrows(BadInputException.class, () -> PairAlignment.alignFolder(folder, 16, hrOut, lrOut, 2),
        "existing output folders with files are refused");
  }

  private static double[][] planes(Image image) {
    double[][] out = new double[image.channels()][];
    for (int c = 0; c < out.length; c++) {
      float[] p = image.plane(c);
      out[c] = new double[p.length];
      for (int i = 0; i < p.length; i++) {
        out[c][i] = p[i];
      }
    }
    return out;
  }
}
