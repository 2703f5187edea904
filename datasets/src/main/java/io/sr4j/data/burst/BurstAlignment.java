package io.sr4j.data.burst;

import io.sr4j.data.Parallel;
import io.sr4j.data.Progress;
import io.sr4j.data.image.Image;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The analysis half of burst super-resolution: per-frame noise and sharpness, the choice of the reference frame,
 * and the flow of every frame relative to it (by tiles, or one global translation by phase correlation). Frames
 * are decoded one at a time per thread; only grey planes of the reference and of the frames being aligned are held.
 */
public final class BurstAlignment {
  /** Finest tile size for clean bursts, and for noisy ones (estimated noise sigma at least {@link #NOISY_SIGMA}). */
  public static final int TILE_PX = 16;
  public static final int NOISY_TILE_PX = 32;
  public static final double NOISY_SIGMA = 0.02;

  private BurstAlignment() {}

  public enum Reference { FIRST, SHARPEST }

  public enum Method { TILES, GLOBAL }

  /** Noise sigma (grey, [0,1] units) and sharpness of every frame. */
  public record FrameStats(double[] sigmas, double[] sharpness, double meanGrey) {}

  public static FrameStats stats(BurstFrames frames, int threads, Progress progress) {
    int n = frames.count();
    double[] sigmas = new double[n];
    double[] sharpness = new double[n];
    double[] means = new double[n];
    progress.start("noise", n, "frames");
    Parallel.forEach(n, threads, i -> {
      Image frame = frames.frame(i);
      Plane grey = NoiseLevel.grey(frame);
      sigmas[i] = NoiseLevel.sigma(grey, frame.bitDepth());
      sharpness[i] = NoiseLevel.sharpness(grey);
      double sum = 0;
      for (float v : grey.values()) {
        sum += v;
      }
      means[i] = sum / grey.values().length;
      progress.advance(1);
    });
    progress.finish();
    return new FrameStats(sigmas, sharpness, Arrays.stream(means).average().orElse(0));
  }

  public static int reference(FrameStats stats, Reference choice) {
    if (choice == Reference.FIRST) {
      return 0;
    }
    int best = 0;
    for (int i = 1; i < stats.sharpness().length; i++) {
      if (stats.sharpness()[i] > stats.sharpness()[best]) {
        best = i;
      }
    }
    return best;
  }

  /** The tile size used for a reference whose noise is {@code sigma}. */
  public static int tilePx(double sigma) {
    return sigma >= NOISY_SIGMA ? NOISY_TILE_PX : TILE_PX;
  }

  /** Flows of every frame relative to frame {@code reference} ({@link Flow#ZERO} for the reference itself). */
  public static List<Flow> flows(BurstFrames frames, int reference, double refSigma, Method method, int tilePx,
      int threads, Progress progress) {
    Plane ref = NoiseLevel.normalised(NoiseLevel.grey(frames.frame(reference)), refSigma);
    TileAligner aligner = method == Method.TILES ? new TileAligner(ref, tilePx) : null;
    Flow[] flows = new Flow[frames.count()];
    flows[reference] = Flow.ZERO;
    progress.start("align", frames.count() - 1, "frames");
    Parallel.forEach(frames.count(), threads, i -> {
      if (i == reference) {
        return;
      }
      Plane grey = NoiseLevel.normalised(NoiseLevel.grey(frames.frame(i)), refSigma);
      flows[i] = aligner != null ? aligner.align(grey) : PhaseCorrelation.shift(ref, grey);
      progress.advance(1);
    });
    progress.finish();
    return new ArrayList<>(Arrays.asList(flows));
  }

  /** Merge kernel constants for a burst of this mean brightness and reference noise. */
  public static MergeKernels.Params kernelParams(FrameStats stats, int reference) {
    return MergeKernels.Params.forSnr(stats.meanGrey() / stats.sigmas()[reference]);
  }
}
