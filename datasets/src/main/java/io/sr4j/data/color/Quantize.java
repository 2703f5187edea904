package io.sr4j.data.color;

/**
 * Conversion of [0,1] floats to integer code values the way SR evaluation does it: clamp to [0,1], multiply
 * by the maximum code (255 or 65535) and round half away from zero (MATLAB {@code im2uint8}).
 */
public final class Quantize {
  private Quantize() {}

  /** The 8-bit code value of {@code v}: {@code round(clamp(v, 0, 1) * 255)}. */
  public static int toUint8(float v) {
    return toCode(v, 255);
  }

  /** The code value of {@code v} for {@code maxCode} = 255 (8-bit) or 65535 (16-bit). */
  public static int toCode(float v, int maxCode) {
    double clamped = v <= 0f ? 0.0 : v >= 1f ? 1.0 : v; // NaN falls through to (int) round -> 0
    return (int) Math.round(clamped * maxCode);
  }

  /** A new plane whose values are {@code toUint8(v)} as doubles in [0,255]. */
  public static double[] toUint8Values(float[] plane) {
    double[] out = new double[plane.length];
    for (int i = 0; i < plane.length; i++) {
      out[i] = toUint8(plane[i]);
    }
    return out;
  }

  /** {@code plane} snapped to the 8-bit grid, still in [0,1] ({@code toUint8(v) / 255}). */
  public static float[] snapToUint8(float[] plane) {
    float[] out = new float[plane.length];
    for (int i = 0; i < plane.length; i++) {
      out[i] = toUint8(plane[i]) / 255f;
    }
    return out;
  }
}
