package io.sr4j.data.burst;

/**
 * One displacement per tile of the reference frame, interpolated bilinearly between tile centres. Tiles are
 * {@code tilePx} squares every {@code stepPx} pixels (half-overlapping), the first at the top-left corner; the
 * last tiles of a row or column may reach past the image. {@code dx[j * tilesX + i]} is the displacement, in LR
 * pixels, of tile {@code (i, j)} (see {@link Flow} for its meaning).
 */
public record TileFlow(int tilePx, int stepPx, int tilesX, int tilesY, float[] dx, float[] dy) implements Flow {

  public TileFlow {
    if (tilePx < 1 || stepPx < 1 || tilesX < 1 || tilesY < 1
        || dx.length != tilesX * tilesY || dy.length != tilesX * tilesY) {
      throw new IllegalArgumentException("inconsistent tile flow: " + tilesX + "x" + tilesY + " tiles of "
          + tilePx + " px every " + stepPx + " px, " + dx.length + " and " + dy.length + " displacements");
    }
  }

  /** Number of tiles of side {@code tilePx} every {@code stepPx} that cover {@code length} pixels. */
  public static int tilesAlong(int length, int tilePx, int stepPx) {
    return length <= tilePx ? 1 : (length - tilePx + stepPx - 1) / stepPx + 1;
  }

  /** An all-zero flow on the tile grid of a {@code width x height} frame. */
  public static TileFlow zeros(int width, int height, int tilePx) {
    int step = Math.max(1, tilePx / 2);
    int nx = tilesAlong(width, tilePx, step);
    int ny = tilesAlong(height, tilePx, step);
    return new TileFlow(tilePx, step, nx, ny, new float[nx * ny], new float[nx * ny]);
  }

  /** Centre of tile column {@code i} (or row) in pixel coordinates. */
  public double centre(int i) {
    return i * stepPx + tilePx / 2.0 - 0.5;
  }

  @Override
  public double dx(double x, double y) {
    return interpolate(dx, x, y);
  }

  @Override
  public double dy(double x, double y) {
    return interpolate(dy, x, y);
  }

  private double interpolate(float[] values, double x, double y) {
    double u = clamp((x - centre(0)) / stepPx, tilesX - 1);
    double v = clamp((y - centre(0)) / stepPx, tilesY - 1);
    int i0 = (int) u;
    int j0 = (int) v;
    int i1 = Math.min(i0 + 1, tilesX - 1);
    int j1 = Math.min(j0 + 1, tilesY - 1);
    double fu = u - i0;
    double fv = v - j0;
    double top = values[j0 * tilesX + i0] * (1 - fu) + values[j0 * tilesX + i1] * fu;
    double bottom = values[j1 * tilesX + i0] * (1 - fu) + values[j1 * tilesX + i1] * fu;
    return top * (1 - fv) + bottom * fv;
  }

  private static double clamp(double v, int max) {
    return v < 0 ? 0 : v > max ? max : v;
  }
}
