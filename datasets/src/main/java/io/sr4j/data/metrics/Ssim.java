package io.sr4j.data.metrics;

/**
 * Structural similarity as defined by Wang et al. (2004) and computed by their MATLAB {@code ssim_index}:
 * an 11x11 Gaussian window with sigma 1.5 (normalised), K1 = 0.01, K2 = 0.03, 'valid' filtering, the mean of the
 * SSIM map. Inputs are on a [0, peak] scale (255 for 8-bit images).
 */
public final class Ssim {
  private static final int WINDOW = 11;
  private static final double SIGMA = 1.5;
  private static final double K1 = 0.01;
  private static final double K2 = 0.03;

  private Ssim() {}

  /** The 1-D Gaussian whose outer product with itself is the normalised 11x11 window. */
  static double[] gaussian1d() {
    double[] g = new double[WINDOW];
    double sum = 0;
    int half = WINDOW / 2;
    for (int i = 0; i < WINDOW; i++) {
      g[i] = Math.exp(-((i - half) * (i - half)) / (2 * SIGMA * SIGMA));
      sum += g[i];
    }
    for (int i = 0; i < WINDOW; i++) {
      g[i] /= sum;
    }
    return g;
  }

  /** Mean SSIM of two {@code w x h} planes (row-major) on a [0, peak] scale. */
  public static double of(double[] a, double[] b, int w, int h, double peak) {
    if (a.length != w * h || b.length != w * h) {
      throw new IllegalArgumentException("SSIM planes must both hold " + w + "x" + h + " samples");
    }
    if (w < WINDOW || h < WINDOW) {
      throw new IllegalArgumentException(
          "SSIM needs images of at least " + WINDOW + "x" + WINDOW + " pixels after border cropping, got " + w + "x" + h);
    }
    double c1 = (K1 * peak) * (K1 * peak);
    double c2 = (K2 * peak) * (K2 * peak);
    double[] g = gaussian1d();
    int n = w * h;
    double[] aa = new double[n];
    double[] bb = new double[n];
    double[] ab = new double[n];
    for (int i = 0; i < n; i++) {
      aa[i] = a[i] * a[i];
      bb[i] = b[i] * b[i];
      ab[i] = a[i] * b[i];
    }
    double[] mu1 = filterValid(a, w, h, g);
    double[] mu2 = filterValid(b, w, h, g);
    double[] s11 = filterValid(aa, w, h, g);
    double[] s22 = filterValid(bb, w, h, g);
    double[] s12 = filterValid(ab, w, h, g);
    double sum = 0;
    for (int i = 0; i < mu1.length; i++) {
      double m1 = mu1[i];
      double m2 = mu2[i];
      double v1 = s11[i] - m1 * m1;
      double v2 = s22[i] - m2 * m2;
      double cov = s12[i] - m1 * m2;
      sum += ((2 * m1 * m2 + c1) * (2 * cov + c2)) / ((m1 * m1 + m2 * m2 + c1) * (v1 + v2 + c2));
    }
    return sum / mu1.length;
  }

  /** Mean over channels of the per-channel SSIM. */
  public static double of(double[][] a, double[][] b, int w, int h, double peak) {
    double sum = 0;
    for (int c = 0; c < a.length; c++) {
      sum += of(a[c], b[c], w, h, peak);
    }
    return sum / a.length;
  }

  /** Separable 'valid' correlation with {@code g x g}: output is {@code (w-10) x (h-10)}. */
  private static double[] filterValid(double[] x, int w, int h, double[] g) {
    int k = g.length;
    int ow = w - k + 1;
    int oh = h - k + 1;
    double[] rows = new double[ow * h];
    for (int y = 0; y < h; y++) {
      int in = y * w;
      int out = y * ow;
      for (int i = 0; i < ow; i++) {
        double s = 0;
        for (int t = 0; t < k; t++) {
          s += g[t] * x[in + i + t];
        }
        rows[out + i] = s;
      }
    }
    double[] result = new double[ow * oh];
    for (int y = 0; y < oh; y++) {
      for (int t = 0; t < k; t++) {
        double gt = g[t];
        int in = (y + t) * ow;
        int out = y * ow;
        for (int i = 0; i < ow; i++) {
          result[out + i] += gt * rows[in + i];
        }
      }
    }
    return result;
  }
}
