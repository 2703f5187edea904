package io.sr4j.loss;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The n x n RGB patches of an image as feature vectors, laid out as TensorFlow's {@code extract_image_patches} with
 * "SAME" padding makes them: one patch per output position of a stride-{@code stridePx} grid of
 * {@code ceil(H / stride) x ceil(W / stride)} positions, zero padding split as {@code floor(total / 2)} before and the
 * rest after, values multiplied by {@code valueScale} (255 in CoBi). A patch is {@code C * n * n} values.
 *
 * @param patchPx n
 * @param stridePx distance between patch positions in pixels
 * @param height image height in pixels
 * @param width image width in pixels
 */
record RgbPatches(int patchPx, int stridePx, int height, int width) {
  RgbPatches {
    if (patchPx < 1 || stridePx < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException("patch " + patchPx + " px, stride " + stridePx + " px, image " + width + "x"
          + height);
    }
  }

  int rows() {
    return (height + stridePx - 1) / stridePx;
  }

  int cols() {
    return (width + stridePx - 1) / stridePx;
  }

  /** Patch positions of the grid, row-major. */
  int positions() {
    return rows() * cols();
  }

  private int padTop() {
    return Math.max((rows() - 1) * stridePx + patchPx - height, 0) / 2;
  }

  private int padLeft() {
    return Math.max((cols() - 1) * stridePx + patchPx - width, 0) / 2;
  }

  /**
   * The patches at grid positions {@code positions} of {@code image} ([C, H, W]) as rows of a new [N, C * n * n] array
   * of the image's data type, times {@code valueScale}.
   */
  INDArray extract(INDArray image, int[] positions, double valueScale) {
    int c = (int) image.size(0);
    double[] pixels = image.dup('c').data().asDouble();
    int len = c * patchPx * patchPx;
    double[] out = new double[positions.length * len];
    int top = padTop();
    int left = padLeft();
    for (int k = 0; k < positions.length; k++) {
      int y0 = positions[k] / cols() * stridePx - top;
      int x0 = positions[k] % cols() * stridePx - left;
      int o = k * len;
      for (int ch = 0; ch < c; ch++) {
        for (int dy = 0; dy < patchPx; dy++) {
          int y = y0 + dy;
          for (int dx = 0; dx < patchPx; dx++, o++) {
            int x = x0 + dx;
            if (y >= 0 && y < height && x >= 0 && x < width) {
              out[o] = valueScale * pixels[(ch * height + y) * width + x];
            }
          }
        }
      }
    }
    return Nd4j.createFromArray(out).reshape(positions.length, len).castTo(image.dataType());
  }

  /**
   * The adjoint of {@link #extract}: adds {@code valueScale * rows} (the gradient with respect to the patches,
   * [N, C * n * n]) onto the pixels they were taken from, in {@code image} ([C * H * W] values, row-major planes).
   */
  void scatterAdd(INDArray rows, int[] positions, double valueScale, double[] image) {
    double[] g = rows.dup('c').data().asDouble();
    int len = (int) rows.size(1);
    int c = len / (patchPx * patchPx);
    int top = padTop();
    int left = padLeft();
    for (int k = 0; k < positions.length; k++) {
      int y0 = positions[k] / cols() * stridePx - top;
      int x0 = positions[k] % cols() * stridePx - left;
      int o = k * len;
      for (int ch = 0; ch < c; ch++) {
        for (int dy = 0; dy < patchPx; dy++) {
          int y = y0 + dy;
          for (int dx = 0; dx < patchPx; dx++, o++) {
            int x = x0 + dx;
            if (y >= 0 && y < height && x >= 0 && x < width) {
              image[(ch * height + y) * width + x] += valueScale * g[o];
            }
          }
        }
      }
    }
  }
}
