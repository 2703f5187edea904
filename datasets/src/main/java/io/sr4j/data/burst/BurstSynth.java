package io.sr4j.data.burst;

import io.sr4j.data.Parallel;
import io.sr4j.data.color.Quantize;
import io.sr4j.data.image.Image;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic bursts from one HR image: frame {@code n} sees the scene moved by a random translation in
 * {@code [-maxShiftPx, maxShiftPx]} LR pixels per axis and optionally rotated by up to {@code maxRotationDeg} about
 * the frame centre (frame 0, the reference, is not moved); every LR pixel integrates the HR image over the PSF
 * (box: the pixel's {@code scale x scale} footprint; Gaussian: sigma 0.5 LR pixels) sampled with bicubic
 * interpolation; Gaussian noise of {@code noiseSigma} ([0,1] units) is added and the result is quantised to 8 bits.
 * Optionally one frame (frame 1) shows a square patch of the scene displaced, as a moving object would be.
 *
 * <p>Frame {@code n} depends only on the seed and {@code n}, so the first {@code k} frames of a long burst are the
 * {@code k}-frame burst of the same seed. The HR image is cropped top-left to {@code ceil(lrSize * scale)}, the size
 * a merge at that scale produces from {@code lrSize = floor(hrSize / scale)} frames.
 */
public final class BurstSynth {
  private BurstSynth() {}

  public enum Psf { BOX, GAUSSIAN }

  private static final double GAUSSIAN_PSF_SIGMA_LR_PX = 0.5;
  /** Index of the frame with the moving patch. */
  public static final int MOVING_FRAME = 1;

  public record Options(int frames, double scale, double maxShiftPx, double noiseSigma, double maxRotationDeg,
      Psf psf, boolean movingPatch, long seed) {
    public Options {
      if (frames < 1) {
        throw new IllegalArgumentException("a burst needs at least one frame, got " + frames);
      }
      if (!(scale >= 1 && scale <= 8)) {
        throw new IllegalArgumentException("synthesis scale must lie in [1, 8], got " + scale);
      }
      if (!(maxShiftPx >= 0) || !(noiseSigma >= 0) || !(maxRotationDeg >= 0)) {
        throw new IllegalArgumentException("shift, noise and rotation must be >= 0");
      }
    }
  }

  /**
   * A square of the reference grid, {@code [x, x + size) x [y, y + size)} in LR pixels, that frame
   * {@link #MOVING_FRAME} shows with the scene content from {@code moveX, moveY} pixels away.
   */
  public record MovingPatch(int frame, int x, int y, int size, double moveX, double moveY) {
    public boolean contains(double px, double py) {
      return px >= x - 0.5 && px < x + size - 0.5 && py >= y - 0.5 && py < y + size - 0.5;
    }
  }

  /** A synthetic burst: the HR ground truth, the frames, each frame's true motion, and the moving patch or null. */
  public record Burst(Image hr, List<Image> frames, List<RigidMotion> motions, MovingPatch patch) {}

  public static Burst make(Image source, Options o, int threads) {
    Image hrRgb = source.withoutAlpha();
    int lw = (int) Math.floor(hrRgb.width() / o.scale());
    int lh = (int) Math.floor(hrRgb.height() / o.scale());
    if (lw < 8 || lh < 8) {
      throw new IllegalArgumentException("a " + hrRgb.width() + "x" + hrRgb.height() + " image is too small for "
          + "frames at scale " + o.scale() + " (at least 8x8 LR pixels)");
    }
    Image hr = hrRgb.cropTopLeft(Math.min(hrRgb.width(), (int) Math.ceil(lw * o.scale())),
        Math.min(hrRgb.height(), (int) Math.ceil(lh * o.scale())));
    List<RigidMotion> motions = new ArrayList<>();
    double cx = (lw - 1) / 2.0;
    double cy = (lh - 1) / 2.0;
    for (int n = 0; n < o.frames(); n++) {
      if (n == 0) {
        motions.add(RigidMotion.translation(0, 0));
        continue;
      }
      SplittableRandom rnd = frameRandom(o.seed(), n, 0);
      double sx = (2 * rnd.nextDouble() - 1) * o.maxShiftPx();
      double sy = (2 * rnd.nextDouble() - 1) * o.maxShiftPx();
      double angle = Math.toRadians((2 * rnd.nextDouble() - 1) * o.maxRotationDeg());
      motions.add(new RigidMotion(sx, sy, angle, cx, cy));
    }
    MovingPatch patch = null;
    if (o.movingPatch() && o.frames() > MOVING_FRAME) {
      SplittableRandom rnd = frameRandom(o.seed(), MOVING_FRAME, 1);
      int size = Math.max(4, Math.min(lw, lh) / 4);
      int px = size / 2 + rnd.nextInt(Math.max(1, lw - 2 * size));
      int py = size / 2 + rnd.nextInt(Math.max(1, lh - 2 * size));
      patch = new MovingPatch(MOVING_FRAME, px, py, size, size / 2.0, size / 3.0);
    }
    Plane[] planes = new Plane[hr.channels()];
    for (int c = 0; c < planes.length; c++) {
      planes[c] = new Plane(hr.width(), hr.height(), hr.plane(c));
    }
    double[][] psf = psfSamples(o.psf(), o.scale());
    Image[] frames = new Image[o.frames()];
    MovingPatch moving = patch;
    Parallel.forEach(o.frames(), threads, n -> {
      SplittableRandom noise = frameRandom(o.seed(), n, 2);
      float[][] out = new float[planes.length][lw * lh];
      RigidMotion m = motions.get(n);
      for (int y = 0; y < lh; y++) {
        for (int x = 0; x < lw; x++) {
          double[] p = m.toReference(x, y);
          if (moving != null && n == moving.frame() && moving.contains(p[0], p[1])) {
            p[0] -= moving.moveX();
            p[1] -= moving.moveY();
          }
          double hx = o.scale() * (p[0] + 0.5) - 0.5;
          double hy = o.scale() * (p[1] + 0.5) - 0.5;
          for (int c = 0; c < planes.length; c++) {
            double v = 0;
            for (double[] s : psf) {
              v += s[2] * planes[c].bicubic(hx + s[0], hy + s[1]);
            }
            if (o.noiseSigma() > 0) {
              v += o.noiseSigma() * gaussian(noise);
            }
            out[c][y * lw + x] = (float) v;
          }
        }
      }
      for (int c = 0; c < out.length; c++) {
        out[c] = Quantize.snapToUint8(out[c]);
      }
      frames[n] = new Image(lw, lh, out, null, 8);
    });
    return new Burst(hr, List.of(frames), List.copyOf(motions), patch);
  }

  /**
   * The HR image blurred by the PSF on its own grid: what a perfect merge of infinitely many frames gives without
   * deblurring, the limit of kernel-regression merging.
   */
  public static Image psfBlurred(Image hr, Psf psf, double scale) {
    double[][] samples = psfSamples(psf, scale);
    float[][] out = new float[hr.channels()][hr.width() * hr.height()];
    for (int c = 0; c < out.length; c++) {
      Plane p = new Plane(hr.width(), hr.height(), hr.plane(c));
      for (int y = 0; y < hr.height(); y++) {
        for (int x = 0; x < hr.width(); x++) {
          double v = 0;
          for (double[] s : samples) {
            v += s[2] * p.bicubic(x + s[0], y + s[1]);
          }
          out[c][y * hr.width() + x] = (float) v;
        }
      }
    }
    return new Image(hr.width(), hr.height(), out, null, hr.bitDepth());
  }

  /** Sample offsets (HR pixels) and weights of the PSF: {@code [dx, dy, weight]}. */
  private static double[][] psfSamples(Psf psf, double scale) {
    List<double[]> samples = new ArrayList<>();
    if (psf == Psf.BOX) {
      int m = Math.max(2, (int) Math.ceil(scale));
      for (int j = 0; j < m; j++) {
        for (int i = 0; i < m; i++) {
          samples.add(new double[] {((i + 0.5) / m - 0.5) * scale, ((j + 0.5) / m - 0.5) * scale, 1.0 / (m * m)});
        }
      }
    } else {
      double sigma = GAUSSIAN_PSF_SIGMA_LR_PX * scale;
      int r = (int) Math.ceil(3 * sigma);
      double sum = 0;
      for (int j = -r; j <= r; j++) {
        for (int i = -r; i <= r; i++) {
          double wgt = Math.exp(-(i * i + j * j) / (2 * sigma * sigma));
          samples.add(new double[] {i, j, wgt});
          sum += wgt;
        }
      }
      for (double[] s : samples) {
        s[2] /= sum;
      }
    }
    return samples.toArray(new double[0][]);
  }

  private static SplittableRandom frameRandom(long seed, int frame, int stream) {
    return new SplittableRandom(seed * 1_000_003L + frame * 31L + stream);
  }

  private static double gaussian(SplittableRandom rnd) {
    // Box-Muller; one value per call keeps the stream a pure function of the number of draws
    double u1 = 1 - rnd.nextDouble();
    double u2 = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
