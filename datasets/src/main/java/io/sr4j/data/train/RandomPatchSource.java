package io.sr4j.data.train;

import io.sr4j.data.BadInputException;
import io.sr4j.data.Parallel;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.data.pairs.LrSynthesis;
import io.sr4j.data.pairs.PairedFolder;
import io.sr4j.data.pairs.PairedSample;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random aligned LR/HR patches, as BasicSR's {@code PairedImageDataset} makes them for training.
 *
 * <p>Data: an HR folder whose LR images are MATLAB bicubic downscales of the mod-cropped 8-bit RGB image (made
 * once per image), or HR and LR folders in DIV2K naming (see {@link PairedFolder}). Every sample is a crop of one
 * image at a random position aligned to the scale (LR crop at {@code (x, y)} is the HR crop at
 * {@code (x * scale, y * scale)}), then the same random flip/rotation ({@link RandomPatchOptions#useHflip()},
 * {@link RandomPatchOptions#useRot()}) applied to both, then RGB or BT.601 Y planes. With
 * {@link RandomPatchOptions#misaligned()}, pairs are misaligned on purpose: the HR crop is moved by an offset per axis
 * uniform over the integers in {@code [-misalignPx, misalignPx]} that keep it inside the image, and rotated about its
 * centre by an angle uniform in {@code [-misalignRotationDeg, misalignRotationDeg]} (Keys bicubic resampling, edge
 * pixels repeated); these draws come from their own stream, so the LR crops, flips and rotations are those of the
 * aligned pairs. Images are held as 8-bit
 * planes in memory when they fit the memory budget, else each crop is decoded from disk; both give the same
 * batches. All randomness is counter-based (see {@link PatchSource}).
 */
public final class RandomPatchSource implements PatchSource {
  private final PairStore store;
  private final EpochOrder order;
  private final RandomPatchOptions options;
  private final int scale;
  private final int lrPatchPx;
  private final String description;

  private RandomPatchSource(PairStore store, EpochOrder order, RandomPatchOptions options, int scale, String what) {
    this.store = store;
    this.order = order;
    this.options = options;
    this.scale = scale;
    this.lrPatchPx = options.gtSizePx() / scale;
    this.description = what + ": " + store.describe();
  }

  /**
   * Scans {@code folder} (image headers only), checks every image can hold a patch, then loads the images into
   * memory or prepares reading them from disk. {@code folder} must have an LR folder or synthesise
   * {@link LrSynthesis#RGB8}.
   */
  public static RandomPatchSource open(PairedFolder folder, RandomPatchOptions options) {
    int s = folder.scale();
    if (options.gtSizePx() % s != 0) {
      throw new BadInputException("the HR patch size " + options.gtSizePx() + " px is not a multiple of the scale "
          + s + " (LR patch = HR patch / scale)");
    }
    if (!folder.hasLrFolder() && folder.synthesis() != LrSynthesis.RGB8) {
      throw new IllegalArgumentException("training patches synthesise LR from 8-bit RGB (LrSynthesis.RGB8), got "
          + folder.synthesis() + "; use PatchColor.Y for Y-channel models");
    }
    int threads = Parallel.defaultThreads();
    List<ImageFiles.Dimensions> lrSizes = lrSizes(folder, threads);
    checkPatchFits(folder, lrSizes, options.gtSizePx());
    PairStore store = store(folder, lrSizes, options, threads);
    EpochOrder order = new EpochOrder(folder.size(), options.enlargeRatio(), options.seed());
    String what = folder.size() + " images from " + folder.hrDir() + ", x" + s + ", " + options.gtSizePx()
        + " px HR patches, batch " + options.batchSize() + ", " + options.color().configName()
        + (options.useHflip() ? ", hflip" : "") + (options.useRot() ? ", rot" : "")
        + ", enlarge x" + options.enlargeRatio()
        + (options.misaligned() ? ", MISALIGNED on purpose: HR crops moved by up to " + options.misalignPx()
            + " px" + (options.misalignRotationDeg() > 0 ? " and rotated by up to " + options.misalignRotationDeg()
            + " deg" : "") : "");
    return new RandomPatchSource(store, order, options, s, what);
  }

  /** Fails naming the first image whose aligned size cannot hold an HR patch of {@code gtSizePx}. */
  private static void checkPatchFits(PairedFolder folder, List<ImageFiles.Dimensions> lrSizes, int gtSizePx) {
    int s = folder.scale();
    int lrPatchPx = gtSizePx / s;
    for (int i = 0; i < lrSizes.size(); i++) {
      ImageFiles.Dimensions lr = lrSizes.get(i);
      if (lr.width() < lrPatchPx || lr.height() < lrPatchPx) {
        throw new BadInputException(folder.hrFile(i) + ": too small for a " + gtSizePx + "x" + gtSizePx
            + " HR patch: its aligned HR is " + lr.width() * s + "x" + lr.height() * s + " (LR " + lr.width() + "x"
            + lr.height() + " at x" + s + ", the LR patch is " + lrPatchPx + "x" + lrPatchPx + ")"
            + (folder.hasLrFolder() ? "; LR file " + folder.lrFile(i) : ""));
      }
    }
  }

  /**
   * In memory when the 8-bit planes (estimated as RGB: {@code 3 * lrArea * (1 + scale^2)} bytes per pair) fit the
   * budget, capped at half the maximum heap; otherwise read from disk.
   */
  private static PairStore store(
      PairedFolder folder, List<ImageFiles.Dimensions> lrSizes, RandomPatchOptions options, int threads) {
    long s = folder.scale();
    long estimatedBytes = 0;
    for (ImageFiles.Dimensions lr : lrSizes) {
      estimatedBytes += 3L * lr.width() * lr.height() * (1 + s * s);
    }
    long budget = Math.min(options.memoryBudgetBytes(), Runtime.getRuntime().maxMemory() / 2);
    boolean fits = estimatedBytes <= budget;
    String budgetNote = "estimated " + PairStore.formatBytes(estimatedBytes) + (fits ? " <= " : " > ")
        + "memory budget " + PairStore.formatBytes(budget)
        + (budget < options.memoryBudgetBytes() ? " (half the maximum heap)" : "");
    if (fits) {
      return InMemoryPairs.load(folder, threads, budgetNote);
    }
    Path cacheDir = options.lrCacheDir() != null ? options.lrCacheDir()
        : Path.of(System.getProperty("java.io.tmpdir"), "sr4j-lr-cache");
    return DiskPairs.prepare(folder, lrSizes, cacheDir, threads, budgetNote);
  }

  /** LR size of every sample, from image headers (checked against the HR size when LR files are given). */
  private static List<ImageFiles.Dimensions> lrSizes(PairedFolder folder, int threads) {
    int s = folder.scale();
    ImageFiles.Dimensions[] sizes = new ImageFiles.Dimensions[folder.size()];
    Parallel.forEach(sizes.length, threads, i -> {
      Path hrFile = folder.hrFile(i);
      ImageFiles.Dimensions hr = ImageFiles.dimensions(hrFile);
      if (folder.hasLrFolder()) {
        ImageFiles.Dimensions lr = ImageFiles.dimensions(folder.lrFile(i));
        folder.checkAligned(hrFile, hr, folder.lrFile(i), lr);
        sizes[i] = lr;
      } else {
        sizes[i] = new ImageFiles.Dimensions(hr.width() / s, hr.height() / s);
      }
    });
    return List.of(sizes);
  }

  /**
   * Pair {@code i} of {@code folder} as 8-bit images: read from both folders, or the HR image rounded to 8 bits and
   * its LR made by MATLAB bicubic in uint8 arithmetic.
   */
  static PairedSample loadPair8(PairedFolder folder, int i) {
    if (folder.hasLrFolder()) {
      return folder.load(i);
    }
    Path hrFile = folder.hrFile(i);
    return PairedFolder.synthesize(ImageFiles.stem(hrFile), ByteImage.of(ImageFiles.read(hrFile)).toImage(),
        folder.scale(), LrSynthesis.RGB8, hrFile);
  }

  @Override
  public PatchBatch batch(long index) {
    if (index < 0) {
      throw new IllegalArgumentException("batch index must be >= 0, got " + index);
    }
    int n = options.batchSize();
    int channels = options.color().channels;
    int gt = options.gtSizePx();
    int lrValues = channels * lrPatchPx * lrPatchPx;
    int hrValues = channels * gt * gt;
    float[] lr = new float[n * lrValues];
    float[] hr = new float[n * hrValues];
    long first = Math.multiplyExact(index, (long) n);
    for (int k = 0; k < n; k++) {
      long position = first + k;
      int sample = order.sampleAt(position);
      SplittableRandom rnd = CounterRandom.of(options.seed(), CounterRandom.PATCH, position);
      ImageFiles.Dimensions size = store.lrSize(sample);
      int lrY = rnd.nextInt(size.height() - lrPatchPx + 1);
      int lrX = rnd.nextInt(size.width() - lrPatchPx + 1);
      // Always three draws, so crop positions do not depend on which augmentations are enabled.
      boolean hflip = rnd.nextBoolean();
      boolean vflip = rnd.nextBoolean();
      boolean transpose = rnd.nextBoolean();
      Dihedral t = new Dihedral(options.useHflip() && hflip, options.useRot() && vflip, options.useRot() && transpose);
      ByteImage hrCrop = options.misaligned() ? misalignedHr(sample, size, lrX * scale, lrY * scale, position)
          : store.hrCrop(sample, lrX * scale, lrY * scale, gt, gt);
      PatchWriter.write(store.lrCrop(sample, lrX, lrY, lrPatchPx), t, options.color(), lr, k * lrValues);
      PatchWriter.write(hrCrop, t, options.color(), hr, k * hrValues);
    }
    return new PatchBatch(n, channels, lrPatchPx, lrPatchPx, scale, lr, hr);
  }

  /**
   * The HR crop of a misaligned pair whose aligned HR crop is at {@code (x, y)}; the draws depend on the seed and the
   * stream {@code position} only.
   */
  private ByteImage misalignedHr(int sample, ImageFiles.Dimensions lrSize, int x, int y, long position) {
    SplittableRandom rnd = CounterRandom.of(options.seed(), CounterRandom.MISALIGN, position);
    int gt = options.gtSizePx();
    int w = lrSize.width() * scale;
    int h = lrSize.height() * scale;
    int x0 = x + Misalignment.offset(rnd, x, w - gt, options.misalignPx());
    int y0 = y + Misalignment.offset(rnd, y, h - gt, options.misalignPx());
    double angle = Math.toRadians((2 * rnd.nextDouble() - 1) * options.misalignRotationDeg());
    if (angle == 0) {
      return store.hrCrop(sample, x0, y0, gt, gt);
    }
    int m = Misalignment.margin(gt, angle);
    int rx = Math.max(0, x0 - m);
    int ry = Math.max(0, y0 - m);
    ByteImage region = store.hrCrop(sample, rx, ry, Math.min(w, x0 + gt + m) - rx, Math.min(h, y0 + gt + m) - ry);
    return Misalignment.rotate(region, x0 - rx + (gt - 1) / 2.0, y0 - ry + (gt - 1) / 2.0, gt, angle);
  }

  @Override
  public int batchSize() {
    return options.batchSize();
  }

  @Override
  public long samplesPerEpoch() {
    return order.samplesPerEpoch();
  }

  /** True when the images are held in memory, false when crops are decoded from disk. */
  public boolean inMemory() {
    return store instanceof InMemoryPairs;
  }

  @Override
  public String describe() {
    return description;
  }
}
