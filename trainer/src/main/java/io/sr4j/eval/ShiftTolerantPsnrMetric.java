package io.sr4j.eval;

import io.sr4j.data.image.Image;
import io.sr4j.data.metrics.FidelityProtocol;

/** The best PSNR over integer shifts of the SR image of up to {@code maxShiftPx} pixels (misaligned training pairs). */
public record ShiftTolerantPsnrMetric(String name, FidelityProtocol protocol, int maxShiftPx) implements ReferenceMetric {
  @Override
  public boolean higherIsBetter() {
    return true;
  }

  @Override
  public double score(Image sr, Image reference) {
    return protocol.shiftTolerantPsnr(sr, reference, maxShiftPx);
  }
}
