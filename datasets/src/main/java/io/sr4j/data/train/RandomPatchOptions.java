package io.sr4j.data.train;

import java.nio.file.Path;

/**
 * How {@link RandomPatchSource} draws training patches (BasicSR {@code PairedImageDataset} in its training phase).
 *
 * @param gtSizePx side of the square HR patch in pixels; a multiple of the scale (the LR patch is
 *     {@code gtSizePx / scale})
 * @param batchSize patches per batch
 * @param useHflip flip horizontally with probability 1/2
 * @param useRot flip vertically and transpose, each with probability 1/2 (with {@code useHflip}: all 8 flips and
 *     rotations)
 * @param enlargeRatio times each image appears per epoch (BasicSR {@code dataset_enlarge_ratio})
 * @param seed seed of the epoch permutations, crop positions and augmentations
 * @param color RGB planes or BT.601 Y
 * @param memoryBudgetBytes decoded images are held in memory as 8-bit planes when their estimated size is at most
 *     this (and at most half the maximum heap); otherwise patches are decoded from disk on demand
 * @param lrCacheDir where LR images synthesised from HR images are written when patches are read from disk;
 *     {@code null} means {@code <java.io.tmpdir>/sr4j-lr-cache}
 * @param misalignPx misaligned pairs on purpose: the HR crop is re-taken up to this many HR pixels away from the
 *     place aligned with the LR crop, per axis (0: aligned pairs)
 * @param misalignRotationDeg and rotated about its centre by up to this many degrees (0: no rotation)
 */
public record RandomPatchOptions(
    int gtSizePx,
    int batchSize,
    boolean useHflip,
    boolean useRot,
    int enlargeRatio,
    long seed,
    PatchColor color,
    long memoryBudgetBytes,
    Path lrCacheDir,
    int misalignPx,
    double misalignRotationDeg) {

  /** Default memory budget for decoded training images: 4 GiB. */
  public static final long DEFAULT_MEMORY_BUDGET_BYTES = 4L << 30;

  /** Largest misalignment rotation in degrees: a small rotation, as between two shots of one scene. */
  public static final double MAX_ROTATION_DEG = 10;

  public RandomPatchOptions {
    if (gtSizePx < 1 || batchSize < 1 || enlargeRatio < 1 || memoryBudgetBytes < 0 || color == null
        || misalignPx < 0 || !(misalignRotationDeg >= 0 && misalignRotationDeg <= MAX_ROTATION_DEG)) {
      throw new IllegalArgumentException("invalid patch options: gtSizePx=" + gtSizePx + " batchSize=" + batchSize
          + " enlargeRatio=" + enlargeRatio + " memoryBudgetBytes=" + memoryBudgetBytes + " color=" + color
          + " misalignPx=" + misalignPx + " misalignRotationDeg=" + misalignRotationDeg);
    }
  }

  /** BasicSR's usual training settings: flips and rotations on, enlarge ratio 1, RGB, default memory budget. */
  public static RandomPatchOptions basicsr(int gtSizePx, int batchSize, long seed) {
    return new RandomPatchOptions(gtSizePx, batchSize, true, true, 1, seed, PatchColor.RGB,
        DEFAULT_MEMORY_BUDGET_BYTES, null, 0, 0);
  }

  /** The same options with another colour. */
  public RandomPatchOptions withColor(PatchColor newColor) {
    return new RandomPatchOptions(gtSizePx, batchSize, useHflip, useRot, enlargeRatio, seed, newColor,
        memoryBudgetBytes, lrCacheDir, misalignPx, misalignRotationDeg);
  }

  /** The same options with another memory budget (0 forces reading patches from disk). */
  public RandomPatchOptions withMemoryBudget(long bytes) {
    return new RandomPatchOptions(gtSizePx, batchSize, useHflip, useRot, enlargeRatio, seed, color, bytes, lrCacheDir,
        misalignPx, misalignRotationDeg);
  }

  /** The same options making misaligned pairs: offsets of up to {@code px} HR pixels, rotations up to {@code deg}. */
  public RandomPatchOptions withMisalignment(int px, double deg) {
    return new RandomPatchOptions(gtSizePx, batchSize, useHflip, useRot, enlargeRatio, seed, color, memoryBudgetBytes,
        lrCacheDir, px, deg);
  }

  /** True when HR crops are moved or rotated against their LR crops. */
  public boolean misaligned() {
    return misalignPx > 0 || misalignRotationDeg > 0;
  }
}
