package io.sr4j.data.burst;

import io.sr4j.data.image.Image;

/**
 * The robustness mask of Super Res Zoom: how far a frame's local colour, warped to the reference by its flow,
 * may be trusted. Per channel, 3x3 local means of the reference and of the frame (sampled bilinearly at the
 * flow-displaced position) are compared: with the pixel noise {@code sigma}, {@code d = max(|mu_ref - mu_n| - d_t, 0)}
 * with {@code d_t = 0.376 sigma}, and {@code s^2 = max(var_ref, sigma_t^2)} with {@code sigma_t = 0.92 sigma} and
 * {@code var_ref} the 3x3 variance of the reference; the worst channel gives {@code x = max_c d^2 / s^2} and
 * {@code R = clamp(S exp(-x) - t, 0, 1)} with {@code t = 0.12} and {@code S = 12}, or {@code S = 2} where the flow is
 * irregular (over the 3x3 neighbourhood of tiles its components vary by more than 0.8 px); finally a 5x5 minimum
 * filter spreads rejections. Maps live on the reference's LR grid.
 */
public final class Robustness {
  private static final double T = 0.12;
  private static final double S_REGULAR = 12;
  private static final double S_IRREGULAR = 2;
  private static final double IRREGULAR_PX = 0.8;
  private static final double SIGMA_T = 0.92;
  private static final double D_T = 0.376;
  private static final int MIN_RADIUS = 2;

  private Robustness() {}

  /** 3x3 means and variances of every channel of a region ({@code [c][y * w + x]}). */
  public record LocalStats(int width, int height, float[][] mean, float[][] variance) {
    public static LocalStats of(Image region) {
      int w = region.width();
      int h = region.height();
      int c = region.channels();
      float[][] mean = new float[c][w * h];
      float[][] var = new float[c][w * h];
      for (int ch = 0; ch < c; ch++) {
        Plane p = new Plane(w, h, region.plane(ch));
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            double s = 0;
            double s2 = 0;
            for (int dy = -1; dy <= 1; dy++) {
              for (int dx = -1; dx <= 1; dx++) {
                double v = p.at(x + dx, y + dy);
                s += v;
                s2 += v * v;
              }
            }
            double m = s / 9;
            mean[ch][y * w + x] = (float) m;
            var[ch][y * w + x] = (float) Math.max(0, s2 / 9 - m * m);
          }
        }
      }
      return new LocalStats(w, h, mean, var);
    }
  }

  /**
   * The robustness of one frame on reference rows {@code [refY0, refY0 + ref.height())}: {@code ref} holds the
   * reference's statistics of those rows, {@code frame} the frame's of its rows from {@code frameY0}.
   *
   * @param neighbourhoodPx distance between the flow samples of the irregularity test (the tile size)
   */
  public static float[] map(LocalStats ref, int refY0, LocalStats frame, int frameY0, Flow flow, double sigma,
      int neighbourhoodPx) {
    int w = ref.width();
    int h = ref.height();
    double sigmaT2 = SIGMA_T * SIGMA_T * sigma * sigma;
    double dT = D_T * sigma;
    float[] r = new float[w * h];
    Plane[] frameMeans = new Plane[frame.mean().length];
    for (int c = 0; c < frameMeans.length; c++) {
      frameMeans[c] = new Plane(frame.width(), frame.height(), frame.mean()[c]);
    }
    for (int y = 0; y < h; y++) {
      double py = refY0 + y;
      for (int x = 0; x < w; x++) {
        double qx = x + flow.dx(x, py);
        double qy = py + flow.dy(x, py) - frameY0;
        double worst = 0;
        for (int c = 0; c < frameMeans.length; c++) {
          double d = Math.max(0, Math.abs(ref.mean()[c][y * w + x] - frameMeans[c].bilinear(qx, qy)) - dT);
          double s2 = Math.max(ref.variance()[c][y * w + x], sigmaT2);
          worst = Math.max(worst, d * d / s2);
        }
        double s = irregular(flow, x, py, neighbourhoodPx) ? S_IRREGULAR : S_REGULAR;
        r[y * w + x] = (float) Math.max(0, Math.min(1, s * Math.exp(-worst) - T));
      }
    }
    return minimumFilter(r, w, h);
  }

  static boolean irregular(Flow flow, double x, double y, int step) {
    double minX = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (int j = -1; j <= 1; j++) {
      for (int i = -1; i <= 1; i++) {
        double dx = flow.dx(x + i * step, y + j * step);
        double dy = flow.dy(x + i * step, y + j * step);
        minX = Math.min(minX, dx);
        maxX = Math.max(maxX, dx);
        minY = Math.min(minY, dy);
        maxY = Math.max(maxY, dy);
      }
    }
    return Math.hypot(maxX - minX, maxY - minY) > IRREGULAR_PX;
  }

  /** Separable 5x5 minimum (windows shrink at the borders). */
  private static float[] minimumFilter(float[] in, int w, int h) {
    float[] rows = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float m = Float.POSITIVE_INFINITY;
        for (int k = Math.max(0, x - MIN_RADIUS); k <= Math.min(w - 1, x + MIN_RADIUS); k++) {
          m = Math.min(m, in[y * w + k]);
        }
        rows[y * w + x] = m;
      }
    }
    float[] out = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float m = Float.POSITIVE_INFINITY;
        for (int k = Math.max(0, y - MIN_RADIUS); k <= Math.min(h - 1, y + MIN_RADIUS); k++) {
          m = Math.min(m, rows[k * w + x]);
        }
        out[y * w + x] = m;
      }
    }
    return out;
  }
}
