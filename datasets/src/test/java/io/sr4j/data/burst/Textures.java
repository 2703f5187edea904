package io.sr4j.data.burst;

import io.sr4j.data.image.Image;
import java.util.Random;

/** Test images: sums of random sinusoids, which can be sampled exactly at any sub-pixel position. */
final class Textures {
  private final double[][] waves; // {fx, fy, phase, amplitude} per sinusoid and channel offset

  /** {@code count} sinusoids with frequencies up to {@code maxCyclesPerPx} in random directions. */
  Textures(long seed, int count, double minCyclesPerPx, double maxCyclesPerPx) {
    Random rnd = new Random(seed);
    waves = new double[count][];
    for (int i = 0; i < count; i++) {
      double f = minCyclesPerPx + rnd.nextDouble() * (maxCyclesPerPx - minCyclesPerPx);
      double angle = rnd.nextDouble() * Math.PI;
      waves[i] = new double[] {f * Math.cos(angle), f * Math.sin(angle), rnd.nextDouble() * 2 * Math.PI,
          0.5 / count * (0.5 + rnd.nextDouble()), rnd.nextDouble() * 2 * Math.PI};
    }
  }

  /** Value in about [0.1, 0.9] at {@code (x, y)}; channel {@code c} shifts the phases. */
  double at(double x, double y, int c) {
    double v = 0.5;
    for (double[] w : waves) {
      v += w[3] * Math.sin(2 * Math.PI * (w[0] * x + w[1] * y) + w[2] + c * w[4] * 0.3);
    }
    return v;
  }

  /** A grey plane whose pixel {@code (x, y)} is {@code at(x - dx, y - dy)}: the texture moved by {@code (dx, dy)}. */
  Plane plane(int w, int h, double dx, double dy) {
    float[] v = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        v[y * w + x] = (float) at(x - dx, y - dy, 0);
      }
    }
    return new Plane(w, h, v);
  }

  /** An 8-bit RGB (or gray) image of the texture. */
  Image image(int w, int h, int channels) {
    float[][] planes = new float[channels][w * h];
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          planes[c][y * w + x] = Math.round(at(x, y, c) * 255) / 255f;
        }
      }
    }
    return Image.of(w, h, planes);
  }

  /**
   * An 8-bit gray image of sharp-edged shapes (random discs and bars of random grey levels on a ramp, and a
   * Siemens star of 24 spokes), rendered with 4x4 supersampling: edges in every direction, as in photographs.
   */
  static Image shapes(long seed, int w, int h) {
    Random rnd = new Random(seed);
    int count = 40;
    double[][] shapes = new double[count][];
    for (int i = 0; i < count; i++) {
      shapes[i] = new double[] {rnd.nextDouble() * w, rnd.nextDouble() * h, 3 + rnd.nextDouble() * w / 8,
          rnd.nextDouble() * Math.PI, 0.1 + 0.8 * rnd.nextDouble(), rnd.nextInt(2)};
    }
    double starX = w * 0.7;
    double starY = h * 0.35;
    double starR = Math.min(w, h) * 0.25;
    float[] v = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double sum = 0;
        for (int sy = 0; sy < 4; sy++) {
          for (int sx = 0; sx < 4; sx++) {
            double px = x - 0.375 + sx * 0.25;
            double py = y - 0.375 + sy * 0.25;
            double value = 0.3 + 0.4 * px / w;
            for (double[] s : shapes) {
              double dx = px - s[0];
              double dy = py - s[1];
              boolean inside = s[5] == 0 ? dx * dx + dy * dy < s[2] * s[2]
                  : Math.abs(dx * Math.cos(s[3]) + dy * Math.sin(s[3])) < s[2]
                      && Math.abs(-dx * Math.sin(s[3]) + dy * Math.cos(s[3])) < s[2] / 4;
              if (inside) {
                value = s[4];
              }
            }
            double rx = px - starX;
            double ry = py - starY;
            if (rx * rx + ry * ry < starR * starR) {
              value = Math.floorMod((int) Math.floor(Math.atan2(ry, rx) / (2 * Math.PI) * 24 * 2), 2) == 0 ? 0.15 : 0.85;
            }
            sum += value;
          }
        }
        v[y * w + x] = Math.round(sum / 16 * 255) / 255f;
      }
    }
    return Image.of(w, h, v);
  }
}
