package io.sr4j.eval;

import io.sr4j.data.image.Image;
import io.sr4j.data.metrics.FidelityProtocol;

/**
 * High-frequency energy of the SR image over the HR image's (mean squared Laplacian): near 1 as sharp as HR, well
 * below 1 blurred. Counted as higher-is-better for ranking; values above 1 mean over-sharpening or noise.
 */
public record SharpnessMetric(String name, FidelityProtocol protocol) implements ReferenceMetric {
  @Override
  public boolean higherIsBetter() {
    return true;
  }

  @Override
  public double score(Image sr, Image reference) {
    return protocol.sharpnessRatio(sr, reference);
  }
}
