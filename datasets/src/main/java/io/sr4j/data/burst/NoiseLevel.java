package io.sr4j.data.burst;

import io.sr4j.data.color.YCbCr;
import io.sr4j.data.image.Image;
import java.util.Arrays;

/** Grey images, noise estimates and sharpness of burst frames. */
public final class NoiseLevel {
  private static final int BLOCK_PX = 8;
  /** Blocks with the least high-pass energy are taken as flat: this quantile of the block energies is noise. */
  private static final double FLAT_QUANTILE = 0.1;
  /** Variance of {@code x - mean of its 4 neighbours} for unit white noise: 1 + 4/16. */
  private static final double HIGH_PASS_GAIN = 1.25;

  private NoiseLevel() {}

  /** BT.601 luma in [0,1] of an RGB image, or the plane of a gray one. */
  public static Plane grey(Image image) {
    return new Plane(image.width(), image.height(), YCbCr.luma(image));
  }

  /**
   * Standard deviation of the noise of a grey plane in [0,1] units: the high-pass residual
   * {@code x - mean(4 neighbours)} is averaged in squares over 8x8 blocks, and the 10% quantile of the blocks
   * (the flattest parts of the image) is taken as noise. Never less than the quantisation noise of
   * {@code bitDepth}-bit samples, {@code 1 / (maxCode * sqrt(12))}.
   */
  public static double sigma(Plane grey, int bitDepth) {
    double quantisation = 1.0 / (((1 << bitDepth) - 1) * Math.sqrt(12));
    int bw = (grey.width() - 2) / BLOCK_PX;
    int bh = (grey.height() - 2) / BLOCK_PX;
    if (bw < 1 || bh < 1) {
      return quantisation;
    }
    double[] energy = new double[bw * bh];
    for (int by = 0; by < bh; by++) {
      for (int bx = 0; bx < bw; bx++) {
        double sum = 0;
        for (int y = 1 + by * BLOCK_PX; y < 1 + (by + 1) * BLOCK_PX; y++) {
          for (int x = 1 + bx * BLOCK_PX; x < 1 + (bx + 1) * BLOCK_PX; x++) {
            double r = grey.at(x, y) - 0.25 * (grey.at(x - 1, y) + grey.at(x + 1, y) + grey.at(x, y - 1) + grey.at(x, y + 1));
            sum += r * r;
          }
        }
        energy[by * bw + bx] = sum / (BLOCK_PX * BLOCK_PX);
      }
    }
    Arrays.sort(energy);
    double flat = energy[(int) Math.floor(FLAT_QUANTILE * (energy.length - 1))];
    return Math.max(quantisation, Math.sqrt(flat / HIGH_PASS_GAIN));
  }

  /** Mean squared gradient of a grey plane (larger is sharper), used to pick the sharpest frame. */
  public static double sharpness(Plane grey) {
    double sum = 0;
    for (int y = 0; y < grey.height(); y++) {
      for (int x = 0; x < grey.width(); x++) {
        double gx = grey.at(x + 1, y) - grey.at(x, y);
        double gy = grey.at(x, y + 1) - grey.at(x, y);
        sum += gx * gx + gy * gy;
      }
    }
    return sum / ((double) grey.width() * grey.height());
  }

  /** {@code plane / sigma}: a grey plane whose noise has unit standard deviation. */
  public static Plane normalised(Plane grey, double sigma) {
    float[] out = new float[grey.values().length];
    float inv = (float) (1 / sigma);
    for (int i = 0; i < out.length; i++) {
      out[i] = grey.values()[i] * inv;
    }
    return new Plane(grey.width(), grey.height(), out);
  }
}
