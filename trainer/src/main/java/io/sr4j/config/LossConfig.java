package io.sr4j.config;

import java.util.List;

/**
 * {@code train.pixel_opt}: a pixel loss between SR output and HR target. Types (BasicSR names): L1Loss, MSELoss,
 * CharbonnierLoss ({@code sqrt(d^2 + eps)}), SSIMLoss ({@code 1 - SSIM}, Gaussian 11x11 window, on [0,1] images).
 */
public record LossConfig(String type, Double lossWeight, String reduction, Double eps) {
  public static final List<String> TYPES = List.of("L1Loss", "MSELoss", "CharbonnierLoss", "SSIMLoss");

  public LossConfig {
    type = Check.oneOf("type", type, null, TYPES);
    lossWeight = Check.nonNegative("loss_weight", lossWeight, 1.0);
    reduction = Check.oneOf("reduction", reduction, "mean", List.of("mean", "sum"));
    eps = Check.positive("eps", eps, 1e-12);
  }
}
