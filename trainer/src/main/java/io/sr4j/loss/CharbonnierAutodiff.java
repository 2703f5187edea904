package io.sr4j.loss;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * BasicSR's Charbonnier loss, {@code mean(sqrt((sr - hr)^2 + eps))}, written as a SameDiff graph: the same function
 * as the hand-written {@link ElementwiseLoss} CHARBONNIER, so that the two routes a loss term can take (analytic
 * gradient, autodiff) can be checked against each other and timed against each other ({@code sr bench loss}).
 */
public final class CharbonnierAutodiff extends SameDiffLossTerm {
  private final double eps;

  public CharbonnierAutodiff(String name, double eps, double weight) {
    super(name, weight);
    this.eps = eps;
  }

  @Override
  protected SDVariable define(SameDiff sd, SDVariable sr, SDVariable hr) {
    SDVariable d = sr.sub(hr);
    return sd.math().sqrt(d.mul(d).add(eps)).mean();
  }
}
