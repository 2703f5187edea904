package io.sr4j.nn;

/**
 * A layer whose backprop can leave its forward-pass state (cached outputs, batch statistics) as it was, so that a
 * second backprop on the same forward pass gives what it would have given as the first (see
 * {@link InputGradientGraph#inputGradientsKeepingState}).
 */
interface KeepsBackpropState {

  /** {@code true}: the following backprop calls leave the forward-pass state for another backprop. */
  void keepBackpropState(boolean keep);
}
