package io.sr4j.data.train;

/**
 * How {@link SrcnnSubImageSource} cuts SRCNN's training sub-images.
 *
 * @param scale downscaling factor of the bicubic degradation
 * @param subImagePx side of the square sub-images, input and label alike (SRCNN: 33)
 * @param stridePx distance between neighbouring sub-images (SRCNN: 14)
 * @param batchSize sub-images per batch
 * @param enlargeRatio times each sub-image appears per epoch
 * @param seed seed of the epoch permutations
 */
public record SrcnnSubImageOptions(
    int scale, int subImagePx, int stridePx, int batchSize, int enlargeRatio, long seed) {

  public SrcnnSubImageOptions {
    if (scale < 1 || subImagePx < 1 || stridePx < 1 || batchSize < 1 || enlargeRatio < 1) {
      throw new IllegalArgumentException("invalid sub-image options: scale=" + scale + " subImagePx=" + subImagePx
          + " stridePx=" + stridePx + " batchSize=" + batchSize + " enlargeRatio=" + enlargeRatio);
    }
  }

  /** The SRCNN paper's settings: 33 px sub-images every 14 px, enlarge ratio 1. */
  public static SrcnnSubImageOptions srcnn(int scale, int batchSize, long seed) {
    return new SrcnnSubImageOptions(scale, 33, 14, batchSize, 1, seed);
  }
}
