package io.sr4j.train;

import io.sr4j.data.BadInputException;

/** A NaN or infinite loss: training stops, the last written checkpoint stays the latest. */
public final class NonFiniteLossException extends BadInputException {
  private static final long serialVersionUID = 1L;

  public NonFiniteLossException(long iteration, double value) {
    super("loss is " + value + " at iteration " + iteration + "; training stopped (lower the learning rate or check "
        + "the data); the last checkpoint written before it is intact");
  }
}
