package io.sr4j.data.burst;

import io.sr4j.data.Parallel;
import io.sr4j.data.Progress;
import io.sr4j.data.image.Image;
import io.sr4j.data.resize.Imresize;
import io.sr4j.data.resize.ResizeKernel;
import java.util.List;

/**
 * Merges aligned burst frames onto the HR grid by kernel regression (gather): every HR pixel is mapped to the
 * reference frame's LR coordinates, then through each frame's flow to that frame's coordinates, and the 3x3 LR
 * pixels nearest to that point contribute {@code value * exp(-0.5 d' M d) * R}, {@code d} being the offset in LR
 * pixels from the point to the pixel centre, {@code M} the inverse kernel covariance of the frame's pixel nearest
 * to the point ({@link MergeKernels}) and {@code R} the frame's robustness there ({@link Robustness}; 1 for the
 * reference). The output is the weighted mean; where the weights are all almost 0 (no sample of any frame is
 * near, so their sum is ~0) it is the bicubic (MATLAB {@code imresize}) upscaling of the reference.
 *
 * <p>One pixel-centre convention serves every frame and every step: HR pixel {@code X} (0-based) has LR
 * coordinate {@code (X + 0.5) / scale - 0.5}, the mapping {@code imresize} uses; the output has
 * {@code ceil(size * scale)} pixels. The HR image is produced in strips of rows, each reading only the rows of each
 * frame it needs, so memory stays bounded by a few strips of every frame; strips run in parallel.
 */
public final class BurstMerge {
  /** LR rows of the reference per strip. */
  private static final int STRIP_LR_ROWS = 64;
  /** Extra LR rows read around a strip: 3x3 neighbours, kernels, local statistics and the 5x5 minimum filter. */
  private static final int MARGIN_ROWS = 4;
  /** Spacing in LR pixels of the flow samples that bound the rows a strip needs from a frame. */
  private static final int FLOW_PROBE_PX = 4;
  /** No sample weight above this means no frame has a sample near the HR pixel: use bicubic there. */
  static final double MIN_PEAK_WEIGHT = 1e-12;
  /** Standard deviation of the isotropic kernel, LR pixels, used by the command line and the benchmark. */
  public static final double DEFAULT_ISO_SIGMA_LR_PX = 0.25;

  private BurstMerge() {}

  public enum Kernel { ISO, ANISO }

  /**
   * How to merge.
   *
   * @param scale output size over input size, in [1, 3]
   * @param isoSigmaLrPx standard deviation of the isotropic kernel, LR pixels
   * @param tilePx tile size of the flows (distance of the robustness irregularity test), pixels
   */
  public record Options(double scale, Kernel kernel, boolean robustness, double isoSigmaLrPx, int tilePx, int threads) {
    public Options {
      if (!(scale >= 1 && scale <= 3)) {
        throw new IllegalArgumentException("merge scale must lie in [1, 3], got " + scale);
      }
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be >= 1, got " + threads);
      }
    }
  }

  /** Per-frame inputs: the flow relative to the reference and the noise of the frame's grey image. */
  public record Aligned(List<Flow> flows, double[] sigmas, int reference, MergeKernels.Params params) {}

  public static Image merge(BurstFrames frames, Aligned aligned, Options options, Progress progress) {
    int w = frames.width();
    int h = frames.height();
    int outW = Imresize.outputLength(w, options.scale());
    int outH = Imresize.outputLength(h, options.scale());
    Image first = frames.rows(aligned.reference(), 0, 1);
    int channels = first.channels();
    float[][] out = new float[channels][outW * outH];
    Imresize.Contributions rowTaps = Imresize.contributions(h, outH, options.scale(), ResizeKernel.BICUBIC, true);
    Imresize.Contributions colTaps = Imresize.contributions(w, outW, options.scale(), ResizeKernel.BICUBIC, true);
    int stripHr = (int) Math.ceil(STRIP_LR_ROWS * options.scale());
    int strips = (outH + stripHr - 1) / stripHr;
    progress.start("merge", strips, "strips");
    Parallel.forEach(strips, options.threads(), s -> {
      int y0 = s * stripHr;
      new Strip(frames, aligned, options, y0, Math.min(outH, y0 + stripHr), outW, rowTaps, colTaps).run(out);
      progress.advance(1);
    });
    progress.finish();
    return new Image(outW, outH, out, null, first.bitDepth());
  }

  /** The merge of HR rows {@code [y0, y1)}. */
  private static final class Strip {
    private final BurstFrames frames;
    private final Aligned aligned;
    private final Options options;
    private final int y0;
    private final int y1;
    private final int outW;
    private final Imresize.Contributions rowTaps;
    private final Imresize.Contributions colTaps;
    private final int w;
    private final int h;
    private final int refY0;
    private final int refY1;

    Strip(BurstFrames frames, Aligned aligned, Options options, int y0, int y1, int outW,
        Imresize.Contributions rowTaps, Imresize.Contributions colTaps) {
      this.frames = frames;
      this.aligned = aligned;
      this.options = options;
      this.y0 = y0;
      this.y1 = y1;
      this.outW = outW;
      this.rowTaps = rowTaps;
      this.colTaps = colTaps;
      this.w = frames.width();
      this.h = frames.height();
      this.refY0 = Math.max(0, (int) Math.floor(lr(y0)) - MARGIN_ROWS);
      this.refY1 = Math.min(h, (int) Math.ceil(lr(y1 - 1)) + MARGIN_ROWS + 1);
    }

    private double lr(int hr) {
      return (hr + 0.5) / options.scale() - 0.5;
    }

    void run(float[][] out) {
      Image ref = frames.rows(aligned.reference(), refY0, refY1 - refY0);
      int channels = ref.channels();
      int pixels = (y1 - y0) * outW;
      double[][] num = new double[channels][pixels];
      double[] den = new double[pixels];
      double[] peak = new double[pixels];
      boolean robust = options.robustness() && frames.count() > 1;
      Robustness.LocalStats refStats = robust ? Robustness.LocalStats.of(ref) : null;
      for (int n = 0; n < frames.count(); n++) {
        boolean isRef = n == aligned.reference();
        Flow flow = aligned.flows().get(n);
        int[] rows = isRef ? new int[] {refY0, refY1} : frameRows(flow);
        if (rows[1] <= rows[0]) {
          continue;
        }
        Image region = isRef ? ref : frames.rows(n, rows[0], rows[1] - rows[0]);
        float[] kernels = kernels(region, aligned.sigmas()[n]);
        float[] robustness = null;
        if (robust && !isRef) {
          double sigma = Math.max(aligned.sigmas()[n], aligned.sigmas()[aligned.reference()]);
          robustness = Robustness.map(refStats, refY0, Robustness.LocalStats.of(region), rows[0], flow, sigma,
              options.tilePx());
        }
        accumulate(region, rows[0], flow, kernels, robustness, num, den, peak);
      }
      for (int y = y0; y < y1; y++) {
        for (int x = 0; x < outW; x++) {
          int i = (y - y0) * outW + x;
          for (int c = 0; c < channels; c++) {
            out[c][y * outW + x] = peak[i] > MIN_PEAK_WEIGHT ? (float) (num[c][i] / den[i]) : bicubic(ref, c, x, y);
          }
        }
      }
    }

    /** The rows of a frame that the strip's HR pixels can reach through its flow, {@code [from, to)}. */
    private int[] frameRows(Flow flow) {
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (int y = refY0; y < refY1 + FLOW_PROBE_PX; y += FLOW_PROBE_PX) {
        double py = Math.min(y, refY1 - 1);
        for (int x = 0; x < w + FLOW_PROBE_PX; x += FLOW_PROBE_PX) {
          double px = Math.min(x, w - 1);
          double qy = py + flow.dy(px, py);
          min = Math.min(min, qy);
          max = Math.max(max, qy);
        }
      }
      int from = Math.max(0, (int) Math.floor(min) - MARGIN_ROWS);
      int to = Math.min(h, (int) Math.ceil(max) + MARGIN_ROWS + 1);
      return new int[] {from, to};
    }

    private float[] kernels(Image region, double sigma) {
      int pixels = region.width() * region.height();
      if (options.kernel() == Kernel.ISO) {
        return MergeKernels.isotropic(pixels, options.isoSigmaLrPx());
      }
      Plane grey = NoiseLevel.normalised(NoiseLevel.grey(region), sigma);
      return MergeKernels.anisotropic(grey, aligned.params());
    }

    private void accumulate(Image region, int regionY0, Flow flow, float[] kernels, float[] robustness,
        double[][] num, double[] den, double[] peak) {
      int channels = region.channels();
      int regionH = region.height();
      for (int y = y0; y < y1; y++) {
        double py = lr(y);
        int ry = (int) Math.round(py) - refY0;
        for (int x = 0; x < outW; x++) {
          double px = lr(x);
          double qx = px + flow.dx(px, py);
          double qy = py + flow.dy(px, py) - regionY0;
          int cx = (int) Math.round(qx);
          int cy = (int) Math.round(qy);
          double r = 1;
          if (robustness != null) {
            int rx = Math.max(0, Math.min(w - 1, (int) Math.round(px)));
            r = robustness[Math.max(0, Math.min(refY1 - refY0 - 1, ry)) * w + rx];
            if (r <= 0) {
              continue;
            }
          }
          int kx = Math.max(0, Math.min(w - 1, cx));
          int ky = Math.max(0, Math.min(regionH - 1, cy));
          int k = 3 * (ky * w + kx);
          double a = kernels[k];
          double b = kernels[k + 1];
          double c = kernels[k + 2];
          int i = (y - y0) * outW + x;
          for (int j = -1; j <= 1; j++) {
            int sy = cy + j;
            if (sy < 0 || sy >= regionH || sy + regionY0 >= h) {
              continue;
            }
            double dy = sy - qy;
            for (int m = -1; m <= 1; m++) {
              int sx = cx + m;
              if (sx < 0 || sx >= w) {
                continue;
              }
              double dx = sx - qx;
              double weight = Math.exp(-0.5 * (a * dx * dx + 2 * b * dx * dy + c * dy * dy)) * r;
              int at = sy * w + sx;
              for (int ch = 0; ch < channels; ch++) {
                num[ch][i] += weight * region.plane(ch)[at];
              }
              den[i] += weight;
              peak[i] = Math.max(peak[i], weight);
            }
          }
        }
      }
    }

    /** MATLAB bicubic upscaling of the reference at HR pixel {@code (x, y)}, from the strip's reference rows. */
    private float bicubic(Image ref, int c, int x, int y) {
      double sum = 0;
      for (int t = 0; t < rowTaps.taps(); t++) {
        int row = Math.max(0, Math.min(ref.height() - 1, rowTaps.index(y, t) - refY0));
        double rowSum = 0;
        for (int u = 0; u < colTaps.taps(); u++) {
          rowSum += colTaps.weight(x, u) * ref.plane(c)[row * w + colTaps.index(x, u)];
        }
        sum += rowTaps.weight(y, t) * rowSum;
      }
      return (float) sum;
    }
  }
}
