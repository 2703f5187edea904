package io.sr4j.data.metrics;

/**
 * PSNR that forgives a small misalignment: the highest PSNR over integer shifts of the restored image by up to
 * {@code maxShiftPx} pixels in each direction. Every shift is scored on the same reference region (the image minus
 * {@code maxShiftPx} on every side), so the values are comparable. Models trained on misaligned pairs may output a
 * slightly shifted image; this separates "shifted" from "wrong".
 */
public final class ShiftTolerantPsnr {
  private ShiftTolerantPsnr() {}

  /** Over planes {@code a} (restored) and {@code b} (reference) of {@code w x h} samples on a [0, peak] scale. */
  public static double of(double[][] a, double[][] b, int w, int h, int maxShiftPx, double peak) {
    int s = maxShiftPx;
    if (s < 0 || w <= 2 * s || h <= 2 * s) {
      throw new IllegalArgumentException("a shift of up to " + s + " px leaves nothing of a " + w + "x" + h + " image");
    }
    double bestMse = Double.POSITIVE_INFINITY;
    long n = (long) a.length * (w - 2 * s) * (h - 2 * s);
    for (int dy = -s; dy <= s; dy++) {
      for (int dx = -s; dx <= s; dx++) {
        double sum = 0;
        for (int c = 0; c < a.length; c++) {
          for (int y = s; y < h - s; y++) {
            int rowB = y * w;
            int rowA = (y + dy) * w + dx;
            for (int x = s; x < w - s; x++) {
              double d = a[c][rowA + x] - b[c][rowB + x];
              sum += d * d;
            }
          }
        }
        bestMse = Math.min(bestMse, sum / n);
      }
    }
    return bestMse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(peak * peak / bestMse);
  }
}
