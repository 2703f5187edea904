package io.sr4j.data.burst;

import io.sr4j.data.Parallel;
import io.sr4j.data.image.Image;
import io.sr4j.data.resize.Imresize;
import io.sr4j.data.resize.ResizeKernel;
import io.sr4j.data.resize.SampleType;
import java.util.List;

/**
 * Iterative back-projection (Irani and Peleg, 1991). Starting from the bicubic upscaling of the reference, each
 * iteration simulates every LR frame from the HR estimate (Gaussian PSF of {@code psfSigmaLrPx}, then sampling at
 * the frame's pixel centres carried to the reference by its flow), and adds the mean over frames of the simulation
 * errors, interpolated back onto the HR grid and blurred by the same PSF. Pixel centres follow
 * {@link BurstMerge}'s convention. All frames are held in memory.
 */
public final class BackProjection {
  /** Iterations and PSF (LR pixels) used by the command line and the benchmark. */
  public static final int DEFAULT_ITERATIONS = 10;
  public static final double DEFAULT_PSF_SIGMA_LR_PX = 0.25;

  private BackProjection() {}

  /**
   * @param psfSigmaLrPx standard deviation of the assumed camera blur, in LR pixels
   */
  public record Options(double scale, int iterations, double psfSigmaLrPx, int threads) {}

  public static Image run(List<Image> frames, int reference, List<Flow> flows, Options o) {
    Image ref = frames.get(reference);
    Image estimate = Imresize.resize(ref, o.scale(), ResizeKernel.BICUBIC, SampleType.FLOAT);
    int outW = estimate.width();
    int outH = estimate.height();
    double psfHrPx = o.psfSigmaLrPx() * o.scale();
    float[][] hr = new float[ref.channels()][];
    for (int c = 0; c < hr.length; c++) {
      hr[c] = estimate.plane(c).clone();
    }
    for (int it = 0; it < o.iterations(); it++) {
      float[][] correction = new float[hr.length][outW * outH];
      Parallel.forEach(hr.length, o.threads(), c -> {
        Plane blurred = gaussianBlur(new Plane(outW, outH, hr[c]), psfHrPx);
        for (int n = 0; n < frames.size(); n++) {
          Image frame = frames.get(n);
          Flow flow = flows.get(n);
          int w = frame.width();
          int h = frame.height();
          float[] error = new float[w * h];
          for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
              // the reference point the frame's pixel shows (the flow is smooth: evaluated at the pixel itself)
              double px = x - flow.dx(x, y);
              double py = y - flow.dy(x, y);
              double sim = blurred.bilinear(o.scale() * (px + 0.5) - 0.5, o.scale() * (py + 0.5) - 0.5);
              error[y * w + x] = (float) (frame.plane(c)[y * w + x] - sim);
            }
          }
          Plane e = new Plane(w, h, error);
          for (int y = 0; y < outH; y++) {
            double py = (y + 0.5) / o.scale() - 0.5;
            for (int x = 0; x < outW; x++) {
              double px = (x + 0.5) / o.scale() - 0.5;
              correction[c][y * outW + x] += (float) (e.bilinear(px + flow.dx(px, py), py + flow.dy(px, py)) / frames.size());
            }
          }
        }
        Plane spread = gaussianBlur(new Plane(outW, outH, correction[c]), psfHrPx);
        for (int i = 0; i < hr[c].length; i++) {
          hr[c][i] += spread.values()[i];
        }
      });
    }
    return new Image(outW, outH, hr, null, ref.bitDepth());
  }

  /** Separable Gaussian blur with edge repetition (radius 3 sigma); sigma 0 returns the plane. */
  static Plane gaussianBlur(Plane p, double sigma) {
    int radius = (int) Math.ceil(3 * sigma);
    if (radius == 0) {
      return p;
    }
    double[] g = new double[2 * radius + 1];
    double sum = 0;
    for (int i = -radius; i <= radius; i++) {
      g[i + radius] = Math.exp(-i * i / (2 * sigma * sigma));
      sum += g[i + radius];
    }
    for (int i = 0; i < g.length; i++) {
      g[i] /= sum;
    }
    int w = p.width();
    int h = p.height();
    float[] rows = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double s = 0;
        for (int k = -radius; k <= radius; k++) {
          s += g[k + radius] * p.at(x + k, y);
        }
        rows[y * w + x] = (float) s;
      }
    }
    Plane r = new Plane(w, h, rows);
    float[] out = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double s = 0;
        for (int k = -radius; k <= radius; k++) {
          s += g[k + radius] * r.at(x, y + k);
        }
        out[y * w + x] = (float) s;
      }
    }
    return new Plane(w, h, out);
  }
}
