package io.sr4j.data.metrics;

/**
 * High-frequency energy: the mean squared 4-neighbour Laplacian of the interior samples. The ratio of a restored
 * image's energy to its reference's says how sharp it is: near 1 as sharp as the reference, well below 1 blurred
 * (what a pixel loss learns from misaligned pairs), above 1 over-sharpened or noisy.
 */
public final class Sharpness {
  private Sharpness() {}

  /** Mean over channels and interior pixels of {@code (4 p - left - right - up - down)^2}. */
  public static double meanSquaredLaplacian(double[][] planes, int w, int h) {
    if (w < 3 || h < 3) {
      throw new IllegalArgumentException("the Laplacian needs at least 3x3 samples, got " + w + "x" + h);
    }
    double sum = 0;
    for (double[] p : planes) {
      for (int y = 1; y < h - 1; y++) {
        for (int x = 1; x < w - 1; x++) {
          int i = y * w + x;
          double l = 4 * p[i] - p[i - 1] - p[i + 1] - p[i - w] - p[i + w];
          sum += l * l;
        }
      }
    }
    return sum / ((double) planes.length * (w - 2) * (h - 2));
  }

  /** Energy of {@code restored} over that of {@code reference} (same sizes). */
  public static double ratio(double[][] restored, double[][] reference, int w, int h) {
    return meanSquaredLaplacian(restored, w, h) / meanSquaredLaplacian(reference, w, h);
  }
}
