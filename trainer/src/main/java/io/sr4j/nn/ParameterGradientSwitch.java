package io.sr4j.nn;

/**
 * A layer that can leave out its parameter gradients in backprop and compute only what its input gradient needs
 * (see {@link InputGradientGraph#inputGradients}). While switched off, backprop returns no parameter gradient and
 * does not touch the gradient views.
 */
interface ParameterGradientSwitch {

  /** {@code false}: the following backprop calls compute the input gradient only. */
  void setParameterGradients(boolean compute);
}
