package io.sr4j.data.train;

import java.util.SplittableRandom;

/**
 * Misaligned training pairs made on purpose from aligned ones, as real pairs from two shots or two lenses are: the HR
 * crop of a pair is re-taken at a random offset from the place aligned with its LR crop, and optionally rotated by a
 * small random angle about its centre.
 */
final class Misalignment {
  private Misalignment() {}

  /**
   * An offset uniform over the integers in {@code [-maxPx, maxPx]} that keep a crop starting at {@code start} within
   * {@code [0, maxStart]} (the range always holds 0, the aligned place).
   */
  static int offset(SplittableRandom rnd, int start, int maxStart, int maxPx) {
    int lo = Math.max(-maxPx, -start);
    int hi = Math.min(maxPx, maxStart - start);
    return lo + rnd.nextInt(hi - lo + 1);
  }

  /**
   * Pixels of the margin a crop of {@code sizePx} rotated by {@code angleRad} about its centre needs beyond the
   * unrotated square, including the bicubic kernel's reach.
   */
  static int margin(int sizePx, double angleRad) {
    return (int) Math.ceil(sizePx / 2.0 * (Math.abs(Math.cos(angleRad)) + Math.abs(Math.sin(angleRad)) - 1)) + 2;
  }

  /**
   * The {@code sizePx} square of {@code region} centred at {@code (cx, cy)} (pixel-centre coordinates of the region)
   * and rotated by {@code angleRad}, resampled with the Keys cubic
   * kernel (a = -0.5, as MATLAB's bicubic), positions outside the region taking its nearest edge pixel; values rounded
   * to 8 bits.
   */
  static ByteImage rotate(ByteImage region, double cx, double cy, int sizePx, double angleRad) {
    double cos = Math.cos(angleRad);
    double sin = Math.sin(angleRad);
    double c = (sizePx - 1) / 2.0;
    byte[][] out = new byte[region.channels()][sizePx * sizePx];
    double[] wx = new double[4];
    double[] wy = new double[4];
    for (int v = 0; v < sizePx; v++) {
      for (int u = 0; u < sizePx; u++) {
        double sx = cx + cos * (u - c) + sin * (v - c);
        double sy = cy - sin * (u - c) + cos * (v - c);
        int x0 = (int) Math.floor(sx) - 1;
        int y0 = (int) Math.floor(sy) - 1;
        for (int k = 0; k < 4; k++) {
          wx[k] = keys(sx - (x0 + k));
          wy[k] = keys(sy - (y0 + k));
        }
        for (int ch = 0; ch < region.channels(); ch++) {
          double value = 0;
          for (int j = 0; j < 4; j++) {
            int y = Math.min(region.height() - 1, Math.max(0, y0 + j));
            double row = 0;
            for (int i = 0; i < 4; i++) {
              row += wx[i] * region.code(ch, Math.min(region.width() - 1, Math.max(0, x0 + i)), y);
            }
            value += wy[j] * row;
          }
          out[ch][v * sizePx + u] = (byte) Math.min(255, Math.max(0, Math.round(value)));
        }
      }
    }
    return new ByteImage(sizePx, sizePx, out);
  }

  /** The Keys cubic convolution kernel with a = -0.5. */
  private static double keys(double t) {
    double x = Math.abs(t);
    if (x <= 1) {
      return (1.5 * x - 2.5) * x * x + 1;
    }
    return x < 2 ? ((-0.5 * x + 2.5) * x - 4) * x + 2 : 0;
  }
}
