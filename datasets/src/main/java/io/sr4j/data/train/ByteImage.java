package io.sr4j.data.train;

import io.sr4j.data.color.Quantize;
import io.sr4j.data.image.Image;

/**
 * An 8-bit image as byte planes ({@code planes[c][y * width + x]}, unsigned), the compact form training images are
 * held in: a quarter of the memory of float planes. 16-bit images are rounded to 8 bits ({@link Quantize}); alpha
 * is dropped.
 */
record ByteImage(int width, int height, byte[][] planes) {

  static ByteImage of(Image image) {
    byte[][] planes = new byte[image.channels()][];
    for (int c = 0; c < planes.length; c++) {
      float[] src = image.plane(c);
      byte[] dst = new byte[src.length];
      for (int i = 0; i < src.length; i++) {
        dst[i] = (byte) Quantize.toUint8(src[i]);
      }
      planes[c] = dst;
    }
    return new ByteImage(image.width(), image.height(), planes);
  }

  /** The same pixels as an 8-bit {@link Image}. */
  Image toImage() {
    float[][] out = new float[planes.length][];
    for (int c = 0; c < planes.length; c++) {
      out[c] = new float[planes[c].length];
      for (int i = 0; i < out[c].length; i++) {
        out[c][i] = (planes[c][i] & 0xff) / 255f;
      }
    }
    return Image.of(width, height, out);
  }

  int channels() {
    return planes.length;
  }

  /** Code value 0..255 of plane {@code c} at {@code (x, y)}. */
  int code(int c, int x, int y) {
    return planes[c][y * width + x] & 0xff;
  }

  /** Bytes held, for memory accounting. */
  long bytes() {
    return (long) planes.length * width * height;
  }

  /** The region {@code [x0, x0+w) x [y0, y0+h)}. */
  ByteImage crop(int x0, int y0, int w, int h) {
    if (x0 < 0 || y0 < 0 || x0 + w > width || y0 + h > height) {
      throw new IllegalArgumentException(
          "crop " + w + "x" + h + "+" + x0 + "+" + y0 + " lies outside a " + width + "x" + height + " image");
    }
    byte[][] out = new byte[planes.length][w * h];
    for (int c = 0; c < planes.length; c++) {
      for (int y = 0; y < h; y++) {
        System.arraycopy(planes[c], (y0 + y) * width + x0, out[c], y * w, w);
      }
    }
    return new ByteImage(w, h, out);
  }
}
