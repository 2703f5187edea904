package io.sr4j.eval;

import io.sr4j.data.image.Image;
import io.sr4j.data.metrics.Niqe;

/** NIQE on the Y channel with {@code cropBorderPx} cropped (lower is better); NaN where it is undefined. */
public record NiqeMetric(String name, int cropBorderPx) implements Metric {
  @Override
  public boolean higherIsBetter() {
    return false;
  }

  @Override
  public double score(Image sr, Image reference) {
    try {
      return Niqe.standard().score(sr, cropBorderPx);
    } catch (IllegalArgumentException e) {
      return Double.NaN; // a nearly flat output has too few textured blocks
    }
  }
}
