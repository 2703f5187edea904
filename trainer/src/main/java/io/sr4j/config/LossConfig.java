package io.sr4j.config;

import java.util.List;
import java.util.Locale;

/**
 * A pixel loss between SR output and HR target (usually {@code train.pixel_opt}). Types (BasicSR names): L1Loss,
 * MSELoss, CharbonnierLoss ({@code sqrt(d^2 + eps)}), SSIMLoss ({@code 1 - SSIM}, Gaussian 11x11 window, on [0,1]
 * images).
 */
public record LossConfig(String type, Double lossWeight, String reduction, Double eps) implements LossTermConfig {
  public static final List<String> TYPES = List.of("L1Loss", "MSELoss", "CharbonnierLoss", "SSIMLoss");

  public LossConfig {
    type = Check.oneOf("type", type, null, TYPES);
    lossWeight = Check.nonNegative("loss_weight", lossWeight, 1.0);
    reduction = Check.oneOf("reduction", reduction, "mean", List.of("mean", "sum"));
    eps = Check.positive("eps", eps, 1e-12);
  }

  @Override
  public double weight() {
    return lossWeight;
  }

  @Override
  public String describe() {
    return String.format(Locale.ROOT, "%s (%s%s) x %s", type, reduction,
        type.equals("CharbonnierLoss") ? ", eps " + eps : "", lossWeight);
  }
}
