package io.sr4j.data.burst;

/**
 * One channel of an image as floats, row-major: {@code values[y * width + x]}. Pixel centres lie at integer
 * coordinates, so {@code (0, 0)} is the centre of the top-left pixel. Reads outside the plane repeat the edge.
 */
public record Plane(int width, int height, float[] values) {

  public Plane {
    if (width <= 0 || height <= 0 || values.length != width * height) {
      throw new IllegalArgumentException(
          "a plane of " + width + "x" + height + " pixels cannot hold " + values.length + " values");
    }
  }

  /** The value at integer pixel {@code (x, y)}, with coordinates clamped into the plane. */
  public float at(int x, int y) {
    int cx = x < 0 ? 0 : x >= width ? width - 1 : x;
    int cy = y < 0 ? 0 : y >= height ? height - 1 : y;
    return values[cy * width + cx];
  }

  /** Bilinear interpolation at {@code (x, y)} (edge repeated outside). */
  public double bilinear(double x, double y) {
    int x0 = (int) Math.floor(x);
    int y0 = (int) Math.floor(y);
    double fx = x - x0;
    double fy = y - y0;
    double top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
    double bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
    return top * (1 - fy) + bottom * fy;
  }

  /**
   * Keys cubic interpolation (a = -0.5, as MATLAB's bicubic) at {@code (x, y)}, with symmetric (mirrored) borders.
   */
  public double bicubic(double x, double y) {
    int x0 = (int) Math.floor(x);
    int y0 = (int) Math.floor(y);
    double[] wx = cubicWeights(x - x0);
    double[] wy = cubicWeights(y - y0);
    double sum = 0;
    for (int j = 0; j < 4; j++) {
      int yy = mirror(y0 - 1 + j, height);
      double row = 0;
      for (int i = 0; i < 4; i++) {
        row += wx[i] * values[yy * width + mirror(x0 - 1 + i, width)];
      }
      sum += wy[j] * row;
    }
    return sum;
  }

  /** The four Keys weights of taps at offsets -1, 0, 1, 2 from the sample left of a point at fraction {@code t}. */
  private static double[] cubicWeights(double t) {
    return new double[] {keys(1 + t), keys(t), keys(1 - t), keys(2 - t)};
  }

  private static double keys(double x) {
    double ax = Math.abs(x);
    if (ax <= 1) {
      return (1.5 * ax - 2.5) * ax * ax + 1;
    }
    if (ax <= 2) {
      return ((-0.5 * ax + 2.5) * ax - 4) * ax + 2;
    }
    return 0;
  }

  /** Index {@code i} mirrored into {@code [0, n)} with the edge sample repeated (MATLAB "symmetric"). */
  static int mirror(int i, int n) {
    int period = 2 * n;
    int k = Math.floorMod(i, period);
    return k < n ? k : period - 1 - k;
  }

  /** The mean of every {@code factor x factor} block (a box-filtered, decimated plane; partial blocks averaged). */
  public Plane downsample(int factor) {
    int w = (width + factor - 1) / factor;
    int h = (height + factor - 1) / factor;
    float[] out = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double sum = 0;
        int n = 0;
        for (int dy = 0; dy < factor && y * factor + dy < height; dy++) {
          int row = (y * factor + dy) * width;
          for (int dx = 0; dx < factor && x * factor + dx < width; dx++) {
            sum += values[row + x * factor + dx];
            n++;
          }
        }
        out[y * w + x] = (float) (sum / n);
      }
    }
    return new Plane(w, h, out);
  }
}
