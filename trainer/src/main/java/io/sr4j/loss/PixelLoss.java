package io.sr4j.loss;

import io.sr4j.config.LossConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A loss between a prediction and a target of the same shape ([N, C, H, W], values in [0, 1]), with its
 * analytic gradient. Implementations are stateless.
 */
public interface PixelLoss {
  /** Value and dLoss/dPrediction, including the configured weight. */
  LossResult compute(INDArray prediction, INDArray target);

  /** The loss a config entry describes (BasicSR type names). */
  static PixelLoss from(LossConfig c) {
    PixelLoss loss = switch (c.type()) {
      case "L1Loss" -> new ElementwiseLoss(ElementwiseLoss.Kind.L1, c.reduction(), 0);
      case "MSELoss" -> new ElementwiseLoss(ElementwiseLoss.Kind.MSE, c.reduction(), 0);
      case "CharbonnierLoss" -> new ElementwiseLoss(ElementwiseLoss.Kind.CHARBONNIER, c.reduction(), c.eps());
      case "SSIMLoss" -> new SsimLoss();
      default -> throw new IllegalArgumentException("unknown pixel loss " + c.type());
    };
    double w = c.lossWeight();
    return w == 1 ? loss : (p, t) -> loss.compute(p, t).scaled(w);
  }
}
