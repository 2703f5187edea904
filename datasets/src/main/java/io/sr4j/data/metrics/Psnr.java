package io.sr4j.data.metrics;

/** Peak signal-to-noise ratio {@code 10 log10(peak^2 / MSE)}, MSE over every sample given. */
public final class Psnr {
  private Psnr() {}

  /** PSNR in dB of two equally long sample arrays on a [0, peak] scale; +Infinity when they are equal. */
  public static double of(double[] a, double[] b, double peak) {
    if (a.length != b.length || a.length == 0) {
      throw new IllegalArgumentException("PSNR needs two non-empty arrays of equal length, got " + a.length + " and " + b.length);
    }
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      sum += d * d;
    }
    double mse = sum / a.length;
    return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(peak * peak / mse);
  }

  /** PSNR over several channels at once (the mean squared error is taken over all of them jointly). */
  public static double of(double[][] a, double[][] b, double peak) {
    int n = 0;
    for (double[] p : a) {
      n += p.length;
    }
    double[] fa = new double[n];
    double[] fb = new double[n];
    int at = 0;
    for (int c = 0; c < a.length; c++) {
      System.arraycopy(a[c], 0, fa, at, a[c].length);
      System.arraycopy(b[c], 0, fb, at, b[c].length);
      at += a[c].length;
    }
    return of(fa, fb, peak);
  }
}
