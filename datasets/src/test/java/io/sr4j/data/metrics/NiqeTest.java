package io.sr4j.data.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sr4j.data.color.Quantize;
import io.sr4j.data.color.YCbCr;
import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NiqeTest {

  private static Path sharedFile(String relative) {
    String shared = System.getProperty("sr4j.sharedData");
    assumeTrue(shared != null, "system property sr4j.sharedData is not set (surefire sets it to <repo>/../shared/data)");
    Path file = Path.of(shared).resolve(relative);
    assumeTrue(Files.isRegularFile(file), "shared test file " + file + " is absent; skipping");
    return file;
  }

  private static Image baboon() {
    return ImageFiles.read(sharedFile("weights/niqe/baboon_basicsr_GTmod12.png"));
  }

  /**
   * A gray test image reproducible without files: a horizontal ramp, a 24 px checkerboard of +40 and uniform
   * noise 0..63 from the C library LCG ({@code s = s * 1103515245 + 12345 mod 2^31}, noise {@code (s >> 16) % 64}),
   * clipped at 255, in 8-bit codes.
   */
  private static Image syntheticGray(int w, int h) {
    float[] plane = new float[w * h];
    long s = 12345;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        s = (s * 1103515245L + 12345L) % (1L << 31);
        int v = x * 191 / (w - 1) + (int) ((s >> 16) % 64) + ((x / 24 + y / 24) % 2 == 0 ? 40 : 0);
        plane[y * w + x] = Math.min(v, 255) / 255f;
      }
    }
    return Image.of(w, h, plane);
  }

  @Test
  void baboonMatchesBasicSrAndMatlab() {
    // BasicSR states 5.7295763 for this image (Y channel, crop 0); MATLAB R2021a gives 5.72957338.
    assertEquals(5.7296, Niqe.standard().score(baboon(), 0), 0.001);
  }

  @Test
  void baboonMatchesNumpyTranscriptionClosely() {
    // Same numpy transcription as in syntheticGrayMatchesNumpyTranscription, on the Y channel formed as BasicSR
    // does (no pixel of this image sits at a rounding tie): 5.729561172522978 at crop 0, 5.989242874341662 at
    // crop 4. With float64 MSCN instead one AGGD shape moves by a grid step and the value is 5.72996.
    Image rgb = baboon();
    assertEquals(5.729561172522978, Niqe.standard().score(rgb, 0), 1e-6);
    assertEquals(5.989242874341662, Niqe.standard().score(rgb, 4), 1e-6);
  }

  @Test
  void grayImageOfTheRoundedLumaScoresLikeTheRgbImage() {
    Image rgb = baboon();
    float[] y = new float[rgb.width() * rgb.height()];
    for (int i = 0; i < y.length; i++) {
      double code = YCbCr.lumaCode(
          Quantize.toUint8(rgb.plane(0)[i]), Quantize.toUint8(rgb.plane(1)[i]), Quantize.toUint8(rgb.plane(2)[i]));
      y[i] = (float) (Math.rint(code) / 255);
    }
    Image gray = Image.of(rgb.width(), rgb.height(), y);
    Niqe niqe = Niqe.standard();
    assertEquals(niqe.score(rgb, 0), niqe.score(gray, 0), 0);
    assertEquals(niqe.score(rgb, 4), niqe.score(gray, 4), 0);
  }

  @Test
  void syntheticGrayMatchesNumpyTranscription() {
    // 39.55513105727082: BasicSR's niqe() transcribed in numpy 2.4 / scipy 1.17 with float32 MSCN and float64
    // AGGD (as this class computes), MATLAB imresize written from its definition, on the same image (300x210,
    // crop 5 -> 290x200, cut to 288x192 = 3x2 blocks). Differences in float32 rounding of window sums, in
    // summation order and in gamma functions stay far below the tolerance.
    assertEquals(39.55513105727082, Niqe.standard().score(syntheticGray(300, 210), 5), 1e-6);
  }

  @Test
  void tooSmallImagesAreRejectedWithTheirSize() {
    Niqe niqe = Niqe.standard();
    IllegalArgumentException narrow = assertThrows(IllegalArgumentException.class,
        () -> niqe.score(syntheticGray(95, 300), 0));
    assertTrue(narrow.getMessage().contains("95x300"), narrow.getMessage());

    IllegalArgumentException cropped = assertThrows(IllegalArgumentException.class,
        () -> niqe.score(syntheticGray(200, 100), 3));
    assertTrue(cropped.getMessage().contains("194x94") && cropped.getMessage().contains("200x100"),
        cropped.getMessage());

    // One whole block gives no covariance.
    IllegalArgumentException oneBlock = assertThrows(IllegalArgumentException.class,
        () -> niqe.score(syntheticGray(191, 100), 0));
    assertTrue(oneBlock.getMessage().contains("191x100"), oneBlock.getMessage());

    assertThrows(IllegalArgumentException.class, () -> niqe.score(syntheticGray(200, 200), -1));
  }

  @Test
  void flatImageIsUndefined() {
    float[] plane = new float[192 * 192];
    Arrays.fill(plane, 0.5f);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Niqe.standard().score(Image.of(192, 192, plane), 0));
    assertTrue(e.getMessage().contains("0 of 4"), e.getMessage());
  }

  @Test
  void mvgFitIgnoresNanInMeanAndDropsNanRowsFromCovariance() {
    double nan = Double.NaN;
    Niqe.Mvg fit = Niqe.Mvg.fit(new double[][] {{1, 2}, {3, nan}, {5, 6}, {3, 4}});
    assertArrayEquals(new double[] {3, 4}, fit.mean(), 1e-15);
    // Rows (1,2), (5,6), (3,4): deviations (-2,-2), (2,2), (0,0); sums of products 8 over n - 1 = 2.
    assertArrayEquals(new double[] {4, 4}, fit.cov()[0], 1e-15);
    assertArrayEquals(new double[] {4, 4}, fit.cov()[1], 1e-15);
    assertEquals(3, fit.rows());
  }

  @Test
  void distanceUsesThePseudoInverseOfTheMeanCovariance() {
    // (diag(2, 4) + diag(2, 0)) / 2 = 2 I: q = (1^2 + 2^2) / 2.
    assertEquals(Math.sqrt(2.5),
        Niqe.distance(new double[] {1, 2}, new double[][] {{2, 0}, {0, 4}}, new double[] {0, 0},
            new double[][] {{2, 0}, {0, 0}}), 1e-14);

    // Singular average [[1, 1], [1, 1]]: its pseudo-inverse is [[1, 1], [1, 1]] / 4.
    double[][] ones = {{1, 1}, {1, 1}};
    double[][] zeros = {{0, 0}, {0, 0}};
    double[][] twice = {{2, 2}, {2, 2}};
    double[][] p = Niqe.pinv(ones);
    assertArrayEquals(new double[] {0.25, 0.25}, p[0], 1e-15);
    assertArrayEquals(new double[] {0.25, 0.25}, p[1], 1e-15);
    // The range is spanned by (1, 1)/sqrt(2) with eigenvalue 2. (1, 1) has component sqrt(2) along it: q = 2/2.
    assertEquals(1.0, Niqe.distance(new double[] {1, 1}, twice, new double[] {0, 0}, zeros), 1e-14);
    // (3, -1) = (1, 1) + (2, -2): the same range component plus a null-space part that pinv ignores.
    assertEquals(1.0, Niqe.distance(new double[] {3, -1}, twice, new double[] {0, 0}, zeros), 1e-14);
  }
}
