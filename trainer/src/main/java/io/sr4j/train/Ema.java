package io.sr4j.train;

import io.sr4j.nn.InputGradientGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Exponential moving average of the generator's parameters (BasicSR {@code model_ema}):
 * {@code ema = decay * ema + (1 - decay) * params} after every step. BatchNorm running statistics are part of the
 * parameter vector in DL4J and are averaged the same way. The averaged weights live in their own network, used for
 * validation and saved next to the raw weights.
 */
public final class Ema {
  private final double decay;
  private final InputGradientGraph averaged;

  public Ema(double decay, InputGradientGraph averaged) {
    this.decay = decay;
    this.averaged = averaged;
  }

  /** A new EMA network that starts from {@code source}'s current weights. */
  public static Ema startingFrom(InputGradientGraph source, double decay) {
    return new Ema(decay, io.sr4j.nn.Graphs.copyOf(source));
  }

  public void update(InputGradientGraph net) {
    INDArray ema = averaged.params();
    ema.muli(decay).addi(net.params().mul(1 - decay));
  }

  public InputGradientGraph network() {
    return averaged;
  }
}
