package io.sr4j.eval;

import io.sr4j.data.metrics.FidelityProtocol;

/** A metric that compares the SR image with the HR image through a {@link FidelityProtocol} (8-bit, Y or RGB, border). */
public interface ReferenceMetric extends Metric {
  FidelityProtocol protocol();
}
