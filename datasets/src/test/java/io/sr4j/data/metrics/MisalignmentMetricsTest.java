package io.sr4j.data.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.data.image.Image;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Shift-tolerant PSNR forgives a shift but not blur; the sharpness ratio tells blur from sharpness. */
class MisalignmentMetricsTest {
  private static final int W = 40;
  private static final int H = 32;

  /** A textured gray image, shifted by (dx, dy) pixels (edge values repeated). */
  private static Image textured(int dx, int dy) {
    Random r = new Random(3);
    float[] base = new float[(W + 20) * (H + 20)];
    for (int i = 0; i < base.length; i++) {
      base[i] = r.nextFloat();
    }
    float[] p = new float[W * H];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        p[y * W + x] = base[(y + 10 - dy) * (W + 20) + x + 10 - dx];
      }
    }
    return Image.of(W, H, p);
  }

  private static Image boxBlurred(Image img) {
    float[] p = img.plane(0);
    float[] out = p.clone();
    for (int y = 1; y < H - 1; y++) {
      for (int x = 1; x < W - 1; x++) {
        float s = 0;
        for (int j = -1; j <= 1; j++) {
          for (int i = -1; i <= 1; i++) {
            s += p[(y + j) * W + x + i];
          }
        }
        out[y * W + x] = s / 9;
      }
    }
    return Image.of(W, H, out);
  }

  @Test
  void aShiftWithinTheRangeIsForgivenBlurIsNot() {
    FidelityProtocol p = new FidelityProtocol(MetricChannel.Y, 0);
    Image hr = textured(0, 0);
    Image shifted = textured(2, -1);
    assertTrue(p.measure(shifted, hr).psnr() < 15, "plain PSNR punishes the shift");
    assertEquals(Double.POSITIVE_INFINITY, p.shiftTolerantPsnr(shifted, hr, 2), "found exactly");
    assertTrue(p.shiftTolerantPsnr(shifted, hr, 1) < 15, "a shift beyond the range is not forgiven");
    Image blurred = boxBlurred(hr);
    assertTrue(p.shiftTolerantPsnr(blurred, hr, 2) < 20);
  }

  @Test
  void sharpnessRatioIsOneForTheReferenceAndLowForBlur() {
    FidelityProtocol p = new FidelityProtocol(MetricChannel.Y, 0);
    Image hr = textured(0, 0);
    assertEquals(1.0, p.sharpnessRatio(hr, hr), 1e-12);
    assertEquals(1.0, p.sharpnessRatio(textured(1, 1), hr), 0.1, "a shift keeps the energy");
    double blurred = p.sharpnessRatio(boxBlurred(hr), hr);
    assertTrue(blurred < 0.2, "blur removes high frequencies: " + blurred);
  }

  @Test
  void laplacianEnergyOfAKnownPattern() {
    // a single bright sample at the centre of 3x3: Laplacian 4 * 255 at the only interior sample
    double[] plane = new double[9];
    plane[4] = 255;
    assertEquals(Math.pow(4 * 255, 2), Sharpness.meanSquaredLaplacian(new double[][] {plane}, 3, 3), 1e-9);
  }
}
