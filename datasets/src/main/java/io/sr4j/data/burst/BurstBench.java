package io.sr4j.data.burst;

import io.sr4j.data.Parallel;
import io.sr4j.data.Progress;
import io.sr4j.data.image.Image;
import io.sr4j.data.metrics.FidelityProtocol;
import io.sr4j.data.metrics.MetricChannel;
import io.sr4j.data.metrics.QualityScore;
import io.sr4j.data.resize.Imresize;
import io.sr4j.data.resize.ResizeKernel;
import io.sr4j.data.resize.SampleType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Burst super-resolution on synthetic bursts of a set of HR images: for each image and noise level one burst of
 * the largest frame count is made ({@link BurstSynth}), and its first N frames are merged for every N asked for,
 * by each {@link Method}; the PSF-blurred HR image is scored too, as the limit of merging without deblurring. PSNR/SSIM follow the paper protocol (8-bit, BT.601 Y, border = ceil(scale));
 * alignment end-point error is the mean distance in LR pixels between estimated and true displacements, over a
 * grid every 8 pixels of the reference and over the non-reference frames.
 */
public final class BurstBench {
  private static final int EPE_GRID_PX = 8;

  private BurstBench() {}

  public enum Method {
    BICUBIC("bicubic of the reference"),
    BACK_PROJECTION("back-projection (global shifts)"),
    SHIFT_AND_ADD("isotropic merge (global shifts)"),
    HANDHELD("anisotropic merge + robustness (tile alignment)"),
    NO_ROBUSTNESS("anisotropic merge, robustness off (tile alignment)"),
    ORACLE("anisotropic merge + robustness (true motion)"),
    PSF_LIMIT("HR blurred by the PSF (limit of merging without deblurring)");

    public final String label;

    Method(String label) {
      this.label = label;
    }
  }

  public record Options(List<Integer> frames, List<Double> noises, double scale, double maxShiftPx,
      double maxRotationDeg, BurstSynth.Psf psf, boolean movingPatch, long seed, int threads) {}

  /**
   * One score: {@code image} is the image name, or "mean" for the mean over the set; {@code epePx} is null for
   * methods without estimated motion and for single frames.
   */
  public record Row(String image, Method method, double noise, int frames, double psnr, double ssim, Double epePx) {}

  public record Result(List<Row> means, List<Row> perImage) {}

  public static Result run(Map<String, Image> hrImages, Options o, Progress progress) {
    List<String> names = new ArrayList<>(hrImages.keySet());
    int jobs = names.size() * o.noises().size();
    List<List<Row>> perJob = new ArrayList<>();
    for (int j = 0; j < jobs; j++) {
      perJob.add(null);
    }
    progress.start("bench", jobs, "bursts");
    Parallel.forEach(jobs, o.threads(), j -> {
      String name = names.get(j / o.noises().size());
      double noise = o.noises().get(j % o.noises().size());
      perJob.set(j, runOne(name, hrImages.get(name), noise, o));
      progress.advance(1);
    });
    progress.finish();
    List<Row> all = new ArrayList<>();
    perJob.forEach(all::addAll);
    return new Result(means(all, o), all);
  }

  private static List<Row> runOne(String name, Image source, double noise, Options o) {
    int maxFrames = o.frames().stream().mapToInt(Integer::intValue).max().orElse(1);
    long seed = o.seed() * 7919 + name.hashCode();
    BurstSynth.Burst burst = BurstSynth.make(source,
        new BurstSynth.Options(maxFrames, o.scale(), o.maxShiftPx(), noise, o.maxRotationDeg(), o.psf(), o.movingPatch(), seed), 1);
    BurstFrames all = BurstFrames.of(burst.frames());
    BurstAlignment.FrameStats stats = BurstAlignment.stats(all, 1, Progress.NONE);
    double refSigma = stats.sigmas()[0];
    int tilePx = BurstAlignment.tilePx(refSigma);
    List<Flow> tiles = BurstAlignment.flows(all, 0, refSigma, BurstAlignment.Method.TILES, tilePx, 1, Progress.NONE);
    List<Flow> global = BurstAlignment.flows(all, 0, refSigma, BurstAlignment.Method.GLOBAL, tilePx, 1, Progress.NONE);
    List<Flow> truth = new ArrayList<>(burst.motions());
    MergeKernels.Params params = BurstAlignment.kernelParams(stats, 0);
    FidelityProtocol protocol = new FidelityProtocol(MetricChannel.Y, (int) Math.ceil(o.scale()));
    Image ref = burst.frames().get(0);
    Image limit = BurstSynth.psfBlurred(burst.hr(), o.psf(), o.scale());
    List<Row> rows = new ArrayList<>();
    for (int n : o.frames()) {
      List<Image> frames = burst.frames().subList(0, n);
      BurstFrames prefix = BurstFrames.of(frames);
      double[] sigmas = Arrays.copyOf(stats.sigmas(), n);
      for (Method m : Method.values()) {
        Image sr = switch (m) {
          case BICUBIC -> Imresize.resize(ref, o.scale(), ResizeKernel.BICUBIC, SampleType.FLOAT);
          case BACK_PROJECTION -> BackProjection.run(frames, 0, global.subList(0, n),
              new BackProjection.Options(o.scale(), BackProjection.DEFAULT_ITERATIONS,
              BackProjection.DEFAULT_PSF_SIGMA_LR_PX, 1));
          case SHIFT_AND_ADD -> merge(prefix, global, sigmas, params, o, BurstMerge.Kernel.ISO, false, tilePx);
          case HANDHELD -> merge(prefix, tiles, sigmas, params, o, BurstMerge.Kernel.ANISO, true, tilePx);
          case NO_ROBUSTNESS -> merge(prefix, tiles, sigmas, params, o, BurstMerge.Kernel.ANISO, false, tilePx);
          case ORACLE -> merge(prefix, truth, sigmas, params, o, BurstMerge.Kernel.ANISO, true, tilePx);
          case PSF_LIMIT -> limit;
        };
        QualityScore score = protocol.measure(sr, burst.hr());
        Double epe = n < 2 ? null : switch (m) {
          case BACK_PROJECTION, SHIFT_AND_ADD -> endPointError(global, truth, n, ref.width(), ref.height());
          case HANDHELD, NO_ROBUSTNESS -> endPointError(tiles, truth, n, ref.width(), ref.height());
          default -> null;
        };
        rows.add(new Row(name, m, noise, n, score.psnr(), score.ssim(), epe));
      }
    }
    return rows;
  }

  private static Image merge(BurstFrames frames, List<Flow> flows, double[] sigmas, MergeKernels.Params params,
      Options o, BurstMerge.Kernel kernel, boolean robustness, int tilePx) {
    BurstMerge.Aligned aligned = new BurstMerge.Aligned(flows.subList(0, frames.count()), sigmas, 0, params);
    return BurstMerge.merge(frames, aligned,
        new BurstMerge.Options(o.scale(), kernel, robustness, BurstMerge.DEFAULT_ISO_SIGMA_LR_PX, tilePx, 1), Progress.NONE);
  }

  /** Mean end-point error (LR pixels) of frames 1..n-1 on a grid of the reference; NaN when n is 1. */
  public static double endPointError(List<Flow> estimated, List<Flow> truth, int n, int width, int height) {
    double sum = 0;
    long count = 0;
    for (int f = 1; f < n; f++) {
      for (int y = EPE_GRID_PX / 2; y < height; y += EPE_GRID_PX) {
        for (int x = EPE_GRID_PX / 2; x < width; x += EPE_GRID_PX) {
          sum += Math.hypot(estimated.get(f).dx(x, y) - truth.get(f).dx(x, y),
              estimated.get(f).dy(x, y) - truth.get(f).dy(x, y));
          count++;
        }
      }
    }
    return count == 0 ? Double.NaN : sum / count;
  }

  private static List<Row> means(List<Row> rows, Options o) {
    Map<String, List<Row>> groups = new LinkedHashMap<>();
    for (double noise : o.noises()) {
      for (int n : o.frames()) {
        for (Method m : Method.values()) {
          groups.put(noise + "/" + n + "/" + m, new ArrayList<>());
        }
      }
    }
    for (Row r : rows) {
      groups.get(r.noise() + "/" + r.frames() + "/" + r.method()).add(r);
    }
    List<Row> means = new ArrayList<>();
    for (List<Row> g : groups.values()) {
      Row first = g.get(0);
      means.add(new Row("mean", first.method(), first.noise(), first.frames(),
          g.stream().mapToDouble(Row::psnr).average().orElse(Double.NaN),
          g.stream().mapToDouble(Row::ssim).average().orElse(Double.NaN),
          first.epePx() == null ? null : g.stream().mapToDouble(Row::epePx).average().orElseThrow()));
    }
    return means;
  }
}
