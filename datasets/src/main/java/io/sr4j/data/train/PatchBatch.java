package io.sr4j.data.train;

import java.util.Arrays;

/**
 * One training batch of {@code n} aligned LR/HR patch pairs, values in [0,1], both in NCHW order.
 *
 * <p>{@code lr} is {@code [n][channels][lrHeight][lrWidth]} and {@code hr} is
 * {@code [n][channels][lrHeight * scale][lrWidth * scale]}, flattened row-major (x fastest). For pre-upsampled
 * inputs (SRCNN) {@code scale} is 1 and both arrays have the same shape. Arrays are owned by the batch; treat
 * them as read-only. Equality compares the contents.
 */
public record PatchBatch(int n, int channels, int lrHeight, int lrWidth, int scale, float[] lr, float[] hr) {

  public PatchBatch {
    if (n <= 0 || channels <= 0 || lrHeight <= 0 || lrWidth <= 0 || scale <= 0) {
      throw new IllegalArgumentException("batch dimensions must be positive: n=" + n + " c=" + channels
          + " lrH=" + lrHeight + " lrW=" + lrWidth + " scale=" + scale);
    }
    long lrLength = (long) n * channels * lrHeight * lrWidth;
    if (lr.length != lrLength || hr.length != lrLength * scale * scale) {
      throw new IllegalArgumentException("batch arrays have " + lr.length + " LR and " + hr.length
          + " HR values, expected " + lrLength + " and " + lrLength * scale * scale);
    }
  }

  /** HR patch height in pixels: {@code lrHeight * scale}. */
  public int hrHeight() {
    return lrHeight * scale;
  }

  /** HR patch width in pixels: {@code lrWidth * scale}. */
  public int hrWidth() {
    return lrWidth * scale;
  }

  /** LR values of one patch: {@code [channels][lrHeight][lrWidth]}. */
  public float[] lrPatch(int i) {
    int size = channels * lrHeight * lrWidth;
    return Arrays.copyOfRange(lr, i * size, (i + 1) * size);
  }

  /** HR values of one patch: {@code [channels][hrHeight][hrWidth]}. */
  public float[] hrPatch(int i) {
    int size = channels * hrHeight() * hrWidth();
    return Arrays.copyOfRange(hr, i * size, (i + 1) * size);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PatchBatch b
        && n == b.n && channels == b.channels && lrHeight == b.lrHeight && lrWidth == b.lrWidth && scale == b.scale
        && Arrays.equals(lr, b.lr) && Arrays.equals(hr, b.hr);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(lr) + Arrays.hashCode(hr);
  }

  @Override
  public String toString() {
    return "PatchBatch[" + n + "x" + channels + "x" + lrHeight + "x" + lrWidth + " -> " + hrHeight() + "x"
        + hrWidth() + "]";
  }
}
