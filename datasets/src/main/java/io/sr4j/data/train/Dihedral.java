package io.sr4j.data.train;

/**
 * One of the 8 flips/rotations of a square patch, composed as BasicSR's {@code augment} does: horizontal flip,
 * then vertical flip, then transpose (vertical flip + transpose is a 90-degree rotation). The same transform is
 * applied to the LR and the HR patch, which keeps them aligned.
 */
record Dihedral(boolean hflip, boolean vflip, boolean transpose) {
  static final Dihedral IDENTITY = new Dihedral(false, false, false);

  /** Row in the source patch (side {@code sizePx}) of output pixel {@code (x, y)}. */
  int sourceRow(int x, int y, int sizePx) {
    int r = transpose ? x : y;
    return vflip ? sizePx - 1 - r : r;
  }

  /** Column in the source patch (side {@code sizePx}) of output pixel {@code (x, y)}. */
  int sourceColumn(int x, int y, int sizePx) {
    int c = transpose ? y : x;
    return hflip ? sizePx - 1 - c : c;
  }
}
