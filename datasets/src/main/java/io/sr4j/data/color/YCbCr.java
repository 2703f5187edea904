package io.sr4j.data.color;

import io.sr4j.data.image.Image;

/**
 * ITU-R BT.601 studio-swing YCbCr exactly as MATLAB's {@code rgb2ycbcr} / {@code ycbcr2rgb} define it, on values
 * in [0,1]: Y lies in [16/255, 235/255], Cb and Cr in [16/255, 240/255]. Full-range (JPEG/OpenCV) YCbCr is a
 * different transform and gives different PSNR values; it is not offered.
 */
public final class YCbCr {
  private YCbCr() {}

  /** Rows: Y, Cb, Cr; columns: R, G, B (inputs in [0,1], outputs in code units 0..255 before the offset). */
  private static final double[][] FORWARD = {
    {65.481, 128.553, 24.966},
    {-37.797, -74.203, 112.0},
    {112.0, -93.786, -18.214},
  };

  private static final double[] OFFSET = {16, 128, 128};
  private static final double[][] INVERSE = invert(FORWARD);
  /** The Y row as MATLAB's {@code rgb2ycbcr} scales it for uint8 input: {@code (1/255) * [65.481 128.553 24.966]}. */
  private static final double[] LUMA_UINT8 = {
    (1 / 255.0) * FORWARD[0][0], (1 / 255.0) * FORWARD[0][1], (1 / 255.0) * FORWARD[0][2]};

  /** Y in code units [16, 235] of an RGB triple given in code units [0, 255] (unrounded). */
  public static double lumaCode(double r255, double g255, double b255) {
    return OFFSET[0] + (FORWARD[0][0] * r255 + FORWARD[0][1] * g255 + FORWARD[0][2] * b255) / 255.0;
  }

  /** The Y plane, in [0,1], of an RGB image (gray images are returned unchanged: their plane is their luma). */
  public static float[] luma(Image image) {
    if (image.isGray()) {
      return image.plane(0);
    }
    return toYCbCr(image)[0];
  }

  /**
   * The Y plane of MATLAB {@code rgb2ycbcr} on a uint8 image, in [0,1] on the 8-bit grid (gray images: their plane
   * on that grid). Samples are taken as 8-bit codes and Y is {@code round(T1 R + T2 G + T3 B + 16)} with
   * {@link #LUMA_UINT8} in double, summed in that order as {@code imlincomb} does: exact ties such as
   * (61, 39, 12), whose exact Y is 52.5, come out a hair below and round down to 52.
   */
  public static float[] lumaUint8(Image image) {
    if (image.isGray()) {
      return Quantize.snapToUint8(image.plane(0));
    }
    float[] r = image.plane(0);
    float[] g = image.plane(1);
    float[] b = image.plane(2);
    float[] y = new float[r.length];
    for (int i = 0; i < y.length; i++) {
      double code = LUMA_UINT8[0] * Quantize.toUint8(r[i]) + LUMA_UINT8[1] * Quantize.toUint8(g[i])
          + LUMA_UINT8[2] * Quantize.toUint8(b[i]) + OFFSET[0];
      y[i] = Math.round(code) / 255f;
    }
    return y;
  }

  /** Y, Cb, Cr planes in [0,1] of an RGB image. */
  public static float[][] toYCbCr(Image rgb) {
    if (rgb.isGray()) {
      throw new IllegalArgumentException("YCbCr conversion needs an RGB image, got a gray one");
    }
    int n = rgb.width() * rgb.height();
    float[] r = rgb.plane(0);
    float[] g = rgb.plane(1);
    float[] b = rgb.plane(2);
    float[][] out = new float[3][n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < 3; k++) {
        out[k][i] = (float) ((OFFSET[k] + FORWARD[k][0] * r[i] + FORWARD[k][1] * g[i] + FORWARD[k][2] * b[i]) / 255.0);
      }
    }
    return out;
  }

  /** RGB planes in [0,1] (unclamped) of Y, Cb, Cr planes in [0,1]. */
  public static float[][] toRgb(float[] y, float[] cb, float[] cr) {
    int n = y.length;
    float[][] out = new float[3][n];
    for (int i = 0; i < n; i++) {
      double dy = y[i] * 255.0 - OFFSET[0];
      double dcb = cb[i] * 255.0 - OFFSET[1];
      double dcr = cr[i] * 255.0 - OFFSET[2];
      for (int k = 0; k < 3; k++) {
        out[k][i] = (float) (INVERSE[k][0] * dy + INVERSE[k][1] * dcb + INVERSE[k][2] * dcr);
      }
    }
    return out;
  }

  private static double[][] invert(double[][] m) {
    double a = m[0][0], b = m[0][1], c = m[0][2];
    double d = m[1][0], e = m[1][1], f = m[1][2];
    double g = m[2][0], h = m[2][1], i = m[2][2];
    double det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
    return new double[][] {
      {(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det},
      {(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det},
      {(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det},
    };
  }
}
