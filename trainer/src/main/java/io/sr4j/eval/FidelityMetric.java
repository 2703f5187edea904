package io.sr4j.eval;

import io.sr4j.data.image.Image;
import io.sr4j.data.metrics.FidelityProtocol;
import io.sr4j.data.metrics.QualityScore;

/**
 * PSNR or SSIM measured by a {@link FidelityProtocol} (8-bit, Y or RGB, border crop), as SR papers measure them.
 * {@link Scoring} measures a protocol once per image for all the metrics that share it.
 */
public record FidelityMetric(String name, FidelityProtocol protocol, boolean psnr) implements ReferenceMetric {
  @Override
  public boolean higherIsBetter() {
    return true;
  }

  @Override
  public double score(Image sr, Image reference) {
    return pick(protocol.measure(sr, reference));
  }

  /** This metric's value from a measurement of its protocol. */
  double pick(QualityScore q) {
    return psnr ? q.psnr() : q.ssim();
  }
}
