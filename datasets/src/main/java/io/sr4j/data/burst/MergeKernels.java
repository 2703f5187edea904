package io.sr4j.data.burst;

/**
 * The merge kernels of Super Res Zoom: per LR pixel, a Gaussian whose covariance follows the local structure
 * tensor, narrow across edges and stretched along them, and wide (denoising) where the image is flat.
 *
 * <p>On a noise-normalised grey plane, gradients are taken on 2x2 quads ({@code [-1/2, 1/2]} differences filtered by
 * {@code [1/2, 1/2]} along the other axis) and the structure tensor of a pixel sums the four quads around it; with its eigenvalues
 * {@code l1 >= l2} and eigenvectors {@code e1, e2}: {@code A = 1 + sqrt((l1 - l2) / (l1 + l2))},
 * {@code D = clamp(1 - sqrt(l1) / D_tr + D_th, 0, 1)}, {@code k1 = 1 + (A/2)(1/k_shrink - 1)},
 * {@code k2 = 1 + (A/2)(k_stretch - 1)}, {@code k' = k_detail ((1 - D) k + D k_denoise)} and the covariance is
 * {@code k1'^2 e1 e1' + k2'^2 e2 e2'}. The constants were designed for the distances of a Bayer mosaic, where
 * samples of one colour lie two pixels apart; an RGB frame's pixel is one such step, so distances in LR pixels
 * are doubled before the kernel is applied (as the reference implementation does for grey bursts).
 *
 * <p>Maps hold the inverse covariance in LR pixel units, three floats per pixel: {@code [a, b, c]} for
 * {@code [[a, b], [b, c]]}; the weight of a sample at offset {@code d} is {@code exp(-0.5 d' M d)}.
 */
public final class MergeKernels {
  private static final double K_STRETCH = 4;
  private static final double K_SHRINK = 2;
  /** LR pixel distances are doubled to the Bayer distances the constants were tuned for: M = 4 * Cov^-1. */
  private static final double BAYER_DISTANCE_SQUARED = 4;

  private MergeKernels() {}

  /** Tuning constants, interpolated linearly over SNR 6..30 (noisy to clean). */
  public record Params(double kDetail, double kDenoise, double dThreshold, double dTransition) {
    public static Params forSnr(double snr) {
      double t = Math.max(0, Math.min(1, (snr - 6) / 24));
      return new Params(0.33 + t * (0.25 - 0.33), 5 + t * (3 - 5), 0.81 + t * (0.71 - 0.81), 1.24 + t * (1.0 - 1.24));
    }
  }

  /** Isotropic kernels: the same Gaussian of standard deviation {@code sigmaLrPx} everywhere. */
  public static float[] isotropic(int pixels, double sigmaLrPx) {
    float[] m = new float[3 * pixels];
    float inv = (float) (1 / (sigmaLrPx * sigmaLrPx));
    for (int i = 0; i < pixels; i++) {
      m[3 * i] = inv;
      m[3 * i + 2] = inv;
    }
    return m;
  }

  /** Anisotropic kernels of every pixel of {@code grey} (noise-normalised). */
  public static float[] anisotropic(Plane grey, Params p) {
    int w = grey.width();
    int h = grey.height();
    // gradients of quad (i, j), whose corners are pixels i..i+1, j..j+1; quads -1 and w-1 repeat the edge
    float[] gx = new float[(w + 1) * (h + 1)];
    float[] gy = new float[(w + 1) * (h + 1)];
    for (int j = -1; j < h; j++) {
      for (int i = -1; i < w; i++) {
        float a = grey.at(i, j);
        float b = grey.at(i + 1, j);
        float c = grey.at(i, j + 1);
        float d = grey.at(i + 1, j + 1);
        int q = (j + 1) * (w + 1) + (i + 1);
        gx[q] = 0.25f * ((b - a) + (d - c));
        gy[q] = 0.25f * ((c - a) + (d - b));
      }
    }
    float[] m = new float[3 * w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int dj = 0; dj < 2; dj++) {
          for (int di = 0; di < 2; di++) {
            int q = (y + dj) * (w + 1) + (x + di);
            sxx += gx[q] * gx[q];
            sxy += gx[q] * gy[q];
            syy += gy[q] * gy[q];
          }
        }
        inverseCovariance(sxx, sxy, syy, p, m, 3 * (y * w + x));
      }
    }
    return m;
  }

  /** Writes {@code 4 Cov^-1} of the structure tensor {@code [[sxx, sxy], [sxy, syy]]} at {@code out[at..at+2]}. */
  static void inverseCovariance(double sxx, double sxy, double syy, Params p, float[] out, int at) {
    double half = 0.5 * (sxx + syy);
    double root = Math.sqrt(0.25 * (sxx - syy) * (sxx - syy) + sxy * sxy);
    double l1 = half + root;
    double l2 = Math.max(0, half - root);
    double e1x;
    double e1y;
    if (root < 1e-12) {
      e1x = 1;
      e1y = 0;
    } else if (Math.abs(sxy) > 1e-12 * root) {
      double vx = sxy;
      double vy = l1 - sxx;
      double n = Math.hypot(vx, vy);
      e1x = vx / n;
      e1y = vy / n;
    } else {
      e1x = sxx >= syy ? 1 : 0;
      e1y = sxx >= syy ? 0 : 1;
    }
    double a = l1 + l2 > 0 ? 1 + Math.sqrt((l1 - l2) / (l1 + l2)) : 1;
    double d = Math.max(0, Math.min(1, 1 - Math.sqrt(l1) / p.dTransition() + p.dThreshold()));
    double k1 = 1 + a / 2 * (1 / K_SHRINK - 1);
    double k2 = 1 + a / 2 * (K_STRETCH - 1);
    double k1p = p.kDetail() * ((1 - d) * k1 + d * p.kDenoise());
    double k2p = p.kDetail() * ((1 - d) * k2 + d * p.kDenoise());
    double i1 = BAYER_DISTANCE_SQUARED / (k1p * k1p);
    double i2 = BAYER_DISTANCE_SQUARED / (k2p * k2p);
    // e2 = (-e1y, e1x)
    out[at] = (float) (i1 * e1x * e1x + i2 * e1y * e1y);
    out[at + 1] = (float) (i1 * e1x * e1y - i2 * e1x * e1y);
    out[at + 2] = (float) (i1 * e1y * e1y + i2 * e1x * e1x);
  }
}
