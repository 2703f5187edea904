package io.sr4j.data.pairs;

import io.sr4j.data.BadInputException;
import io.sr4j.data.OutputFolders;
import io.sr4j.data.Parallel;
import io.sr4j.data.burst.PhaseCorrelation;
import io.sr4j.data.burst.Plane;
import io.sr4j.data.burst.RigidMotion;
import io.sr4j.data.color.YCbCr;
import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.data.resize.Imresize;
import io.sr4j.data.resize.ResizeKernel;
import io.sr4j.data.resize.SampleType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Coarse global alignment of LR/HR pairs that are only roughly aligned (two exposures, two lenses), the
 * pre-processing "Zoom to Learn, Learn to Zoom" applies before training with the CoBi loss, which then absorbs the
 * residual misalignment. Per pair: the translation of the HR image downscaled by the scale (MATLAB bicubic) against
 * the LR image (BT.601 luma of both, on their common top-left area) is found by phase correlation refined by
 * Lucas-Kanade ({@link PhaseCorrelation}), taken times the scale and rounded to whole HR pixels (the estimate is
 * within about 0.2 HR px at x4 on the bundled images); then both images are cropped to the part
 * they share, the HR crop exactly {@code scale} times the LR crop and moved by that offset, so the pair can be used as
 * an HR/LR folder pair ({@link PairedFolder#withLrFolder}). Translation only: rotation and zoom differences are left to
 * the loss.
 */
public final class PairAlignment {
  private PairAlignment() {}

  /**
   * One aligned pair.
   *
   * @param shiftX estimated displacement of the HR content against the LR content, in HR pixels (sub-pixel)
   * @param offsetX the whole-pixel displacement applied: HR crop x = {@code scale * lrX + offsetX}
   * @param lrX left edge of the LR crop in the LR image; the crop is {@code lrWidth x lrHeight}
   */
  public record Pair(String name, String hrFile, String lrFile, double shiftX, double shiftY, int offsetX,
      int offsetY, int lrX, int lrY, int lrWidth, int lrHeight) {}

  /** The estimated offset of pair {@code i}, its crops and the cropped images ({@code hr} is scale x {@code lr}). */
  public record Aligned(Pair pair, Image lr, Image hr) {}

  /**
   * Aligns pair {@code i} of {@code folder} (HR and LR folders); fails naming the files when the pair cannot be used:
   * a displacement beyond {@code maxShiftPx} HR pixels (the images probably do not show the same scene) or no common
   * part of at least one LR pixel.
   */
  public static Aligned align(PairedFolder folder, int i, int maxShiftPx) {
    int s = folder.scale();
    Path hrFile = folder.hrFile(i);
    Path lrFile = folder.lrFile(i);
    Image hr = ImageFiles.read(hrFile).withoutAlpha();
    Image lr = ImageFiles.read(lrFile).withoutAlpha();
    if (hr.channels() != lr.channels()) {
      throw new BadInputException("LR/HR channel mismatch: " + lrFile + " has " + lr.channels() + " colour planes, "
          + hrFile + " has " + hr.channels());
    }
    // at the LR resolution, where both images are about as sharp (a bicubic upscale of LR is not)
    Image down = Imresize.resize(Image.of(hr.width(), hr.height(), luma(hr)), 1.0 / s, ResizeKernel.BICUBIC,
        SampleType.FLOAT);
    int w = Math.min(lr.width(), down.width());
    int h = Math.min(lr.height(), down.height());
    RigidMotion m = PhaseCorrelation.shift(plane(luma(lr), lr.width(), w, h), plane(down.plane(0), down.width(), w, h));
    double sx = s * m.shiftX();
    double sy = s * m.shiftY();
    if (!(Math.abs(sx) <= maxShiftPx && Math.abs(sy) <= maxShiftPx)) {
      throw new BadInputException(String.format(Locale.ROOT, "%s: moved by (%.1f, %.1f) HR px against %s, more than "
          + "the largest shift %d px allowed; are they the same scene?", hrFile, sx, sy, lrFile, maxShiftPx));
    }
    int dx = (int) Math.round(sx);
    int dy = (int) Math.round(sy);
    int lrX = Math.floorDiv(-Math.min(dx, 0) + s - 1, s); // first LR column whose HR partner starts inside HR
    int lrY = Math.floorDiv(-Math.min(dy, 0) + s - 1, s);
    int lrW = Math.min(lr.width(), Math.floorDiv(hr.width() - dx, s)) - lrX;
    int lrH = Math.min(lr.height(), Math.floorDiv(hr.height() - dy, s)) - lrY;
    if (lrW < 1 || lrH < 1) {
      throw new BadInputException(hrFile + " and " + lrFile + ": no common part after moving by (" + dx + ", " + dy
          + ") HR px");
    }
    Pair pair = new Pair(ImageFiles.stem(hrFile), hrFile.toString(), lrFile.toString(), sx, sy, dx, dy, lrX, lrY, lrW,
        lrH);
    return new Aligned(pair, lr.crop(lrX, lrY, lrW, lrH), hr.crop(s * lrX + dx, s * lrY + dy, s * lrW, s * lrH));
  }

  /**
   * Aligns every pair of {@code folder} on {@code threads} threads (one pair per thread in memory at a time) and
   * writes, into new or empty folders, {@code <stem>.png} to {@code hrOut} and {@code <stem>x<scale>.png} to {@code lrOut}; returns the pairs in
   * folder order.
   */
  public static List<Pair> alignFolder(PairedFolder folder, int maxShiftPx, Path hrOut, Path lrOut, int threads) {
    if (!folder.hasLrFolder()) {
      throw new IllegalArgumentException("alignment needs HR and LR folders");
    }
    OutputFolders.prepareEmpty(hrOut);
    OutputFolders.prepareEmpty(lrOut);
    Pair[] pairs = new Pair[folder.size()];
    Parallel.forEach(pairs.length, threads, i -> {
      Aligned a = align(folder, i, maxShiftPx);
      ImageFiles.write(a.hr(), hrOut.resolve(a.pair().name() + ".png"));
      ImageFiles.write(a.lr(), lrOut.resolve(a.pair().name() + "x" + folder.scale() + ".png"));
      pairs[i] = a.pair();
    });
    return Arrays.asList(pairs);
  }

  private static float[] luma(Image image) {
    return image.channels() == 1 ? image.plane(0) : YCbCr.luma(image);
  }

  /** The top-left {@code w x h} of a plane of width {@code stride}. */
  private static Plane plane(float[] values, int stride, int w, int h) {
    float[] out = new float[w * h];
    for (int y = 0; y < h; y++) {
      System.arraycopy(values, y * stride, out, y * w, w);
    }
    return new Plane(w, h, out);
  }
}
