package io.sr4j.eval;

import io.sr4j.data.image.Image;

/**
 * A quality metric of an SR image, by the name results are keyed under: full-reference (PSNR, SSIM against the HR
 * image) or no-reference (NIQE). It knows which direction is better, so that "best" means the right thing.
 */
public interface Metric {
  /** The key of its values, e.g. psnr, ssim, niqe. */
  String name();

  /** True for PSNR/SSIM, false for NIQE and other distances. */
  boolean higherIsBetter();

  /**
   * The score of {@code sr} (values in [0, 1], not quantised) against {@code reference} (same size and channels;
   * ignored by no-reference metrics). NaN where the metric is undefined for the image.
   */
  double score(Image sr, Image reference);
}
