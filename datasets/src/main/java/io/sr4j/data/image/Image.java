package io.sr4j.data.image;

import java.util.Arrays;

/**
 * An image held as float planes with values in [0,1].
 *
 * <p>{@code planes[c][y * width + x]}: one plane for gray, three for RGB. Alpha, when the source had one, is
 * kept apart in {@code alpha} so that colour operations never see it and resizing can treat it separately.
 * {@code bitDepth} (8 or 16) is the sample depth of the file it came from and the depth it is written back
 * with. Instances are treated as immutable: every operation returns a new image.
 */
public record Image(int width, int height, float[][] planes, float[] alpha, int bitDepth) {

  public Image {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
    }
    if (planes.length != 1 && planes.length != 3) {
      throw new IllegalArgumentException("an image has 1 (gray) or 3 (RGB) colour planes, got " + planes.length);
    }
    for (float[] p : planes) {
      checkPlane(p, width, height);
    }
    if (alpha != null) {
      checkPlane(alpha, width, height);
    }
    if (bitDepth != 8 && bitDepth != 16) {
      throw new IllegalArgumentException("bit depth must be 8 or 16, got " + bitDepth);
    }
  }

  private static void checkPlane(float[] plane, int width, int height) {
    if (plane.length != width * height) {
      throw new IllegalArgumentException(
          "plane has " + plane.length + " samples, expected " + width + "x" + height);
    }
  }

  /** An 8-bit image without alpha. */
  public static Image of(int width, int height, float[]... planes) {
    return new Image(width, height, planes, null, 8);
  }

  public int channels() {
    return planes.length;
  }

  public boolean isGray() {
    return planes.length == 1;
  }

  public boolean hasAlpha() {
    return alpha != null;
  }

  public float[] plane(int channel) {
    return planes[channel];
  }

  public float get(int channel, int x, int y) {
    return planes[channel][y * width + x];
  }

  /** Same size, depth and alpha, other colour planes. */
  public Image withPlanes(float[]... newPlanes) {
    return new Image(width, height, newPlanes, alpha, bitDepth);
  }

  public Image withoutAlpha() {
    return alpha == null ? this : new Image(width, height, planes, null, bitDepth);
  }

  /** Top-left {@code w x h} region (all planes and alpha). */
  public Image cropTopLeft(int w, int h) {
    return crop(0, 0, w, h);
  }

  /** The region {@code [x0, x0+w) x [y0, y0+h)} of all planes and alpha. */
  public Image crop(int x0, int y0, int w, int h) {
    if (x0 < 0 || y0 < 0 || w <= 0 || h <= 0 || x0 + w > width || y0 + h > height) {
      throw new IllegalArgumentException(
          "crop " + w + "x" + h + "+" + x0 + "+" + y0 + " lies outside a " + width + "x" + height + " image");
    }
    if (x0 == 0 && y0 == 0 && w == width && h == height) {
      return this;
    }
    float[][] out = new float[planes.length][];
    for (int c = 0; c < planes.length; c++) {
      out[c] = cropPlane(planes[c], x0, y0, w, h);
    }
    float[] a = alpha == null ? null : cropPlane(alpha, x0, y0, w, h);
    return new Image(w, h, out, a, bitDepth);
  }

  private float[] cropPlane(float[] p, int x0, int y0, int w, int h) {
    float[] out = new float[w * h];
    for (int y = 0; y < h; y++) {
      System.arraycopy(p, (y0 + y) * width + x0, out, y * w, w);
    }
    return out;
  }

  /** Crops right and bottom so both sides are multiples of {@code scale} (the benchmark "modcrop"). */
  public Image modcrop(int scale) {
    if (scale < 1) {
      throw new IllegalArgumentException("modcrop scale must be >= 1, got " + scale);
    }
    int w = width - width % scale;
    int h = height - height % scale;
    if (w == 0 || h == 0) {
      throw new IllegalArgumentException(
          "a " + width + "x" + height + " image is smaller than the scale " + scale);
    }
    return cropTopLeft(w, h);
  }

  /** Gray images become three equal planes; RGB images are returned as they are. */
  public Image toRgb() {
    return isGray() ? withPlanes(planes[0], planes[0], planes[0]) : this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Image other
        && width == other.width
        && height == other.height
        && bitDepth == other.bitDepth
        && Arrays.deepEquals(planes, other.planes)
        && Arrays.equals(alpha, other.alpha);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.deepHashCode(planes);
  }

  @Override
  public String toString() {
    return width + "x" + height + (isGray() ? " gray" : " RGB") + (hasAlpha() ? "+alpha" : "") + " " + bitDepth + "-bit";
  }
}
