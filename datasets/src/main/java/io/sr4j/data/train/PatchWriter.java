package io.sr4j.data.train;

import io.sr4j.data.color.YCbCr;

/** Turns a square 8-bit crop into float planes of a batch, through a flip/rotation and a colour choice. */
final class PatchWriter {
  private PatchWriter() {}

  /**
   * Writes {@code crop} (square, side {@code s}) transformed by {@code t} as {@code [color.channels][s][s]} values
   * in [0,1] into {@code dst} starting at {@code offset}.
   */
  static void write(ByteImage crop, Dihedral t, PatchColor color, float[] dst, int offset) {
    int s = crop.width();
    if (crop.height() != s) {
      throw new IllegalArgumentException("patches are square, got " + crop.width() + "x" + crop.height());
    }
    int last = crop.channels() - 1; // gray images: every colour plane reads plane 0
    int plane = s * s;
    for (int y = 0; y < s; y++) {
      for (int x = 0; x < s; x++) {
        int row = t.sourceRow(x, y, s);
        int col = t.sourceColumn(x, y, s);
        int out = offset + y * s + x;
        if (color == PatchColor.Y) {
          double luma = YCbCr.lumaCode(
              crop.code(0, col, row), crop.code(Math.min(1, last), col, row), crop.code(Math.min(2, last), col, row));
          dst[out] = (float) (luma / 255.0);
        } else {
          for (int c = 0; c < 3; c++) {
            dst[out + c * plane] = crop.code(Math.min(c, last), col, row) / 255f;
          }
        }
      }
    }
  }
}
