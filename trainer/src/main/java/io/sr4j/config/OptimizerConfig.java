package io.sr4j.config;

import java.util.List;
import java.util.Map;

/**
 * {@code train.optim_g} / {@code optim_d}: Adam (betas) or SGD (momentum), base learning rate, L2 weight decay and
 * per-layer learning-rate multipliers (SRCNN trains its last layer at a tenth of the rate: {@code conv3: 0.1}).
 */
public record OptimizerConfig(
    String type, Double lr, List<Double> betas, Double momentum, Double weightDecay, Map<String, Double> lrMultipliers) {
  public OptimizerConfig {
    type = Check.oneOf("type", type, "Adam", List.of("Adam", "SGD"));
    lr = Check.positive("lr", lr, 2e-4);
    betas = betas == null ? List.of(0.9, 0.999) : List.copyOf(betas);
    if (betas.size() != 2 || !(betas.get(0) >= 0 && betas.get(0) < 1) || !(betas.get(1) >= 0 && betas.get(1) < 1)) {
      throw new InvalidValue("betas", betas, "two numbers in [0, 1), e.g. [0.9, 0.99]");
    }
    momentum = Check.inRange("momentum", momentum, 0, 0.999999, 0);
    weightDecay = Check.nonNegative("weight_decay", weightDecay, 0);
    lrMultipliers = lrMultipliers == null ? Map.of() : Map.copyOf(lrMultipliers);
    for (Map.Entry<String, Double> e : lrMultipliers.entrySet()) {
      Check.positive("lr_multipliers." + e.getKey(), e.getValue(), 1);
    }
  }

  public boolean isAdam() {
    return type.equals("Adam");
  }
}
