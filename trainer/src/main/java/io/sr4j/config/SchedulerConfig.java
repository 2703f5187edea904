package io.sr4j.config;

import java.util.List;

/**
 * {@code train.scheduler}: MultiStepLR (multiply by {@code gamma} at each milestone iteration),
 * CosineAnnealingRestartLR (cosine from the base rate to {@code eta_min} over each of {@code periods}, restarting at
 * {@code restart_weights} times the base rate), or ConstantLR. Semantics and names as BasicSR's schedulers.
 */
public record SchedulerConfig(
    String type, List<Long> milestones, Double gamma, List<Long> periods, List<Double> restartWeights, Double etaMin) {
  public static final String MULTI_STEP = "MultiStepLR";
  public static final String COSINE_RESTART = "CosineAnnealingRestartLR";
  public static final String CONSTANT = "ConstantLR";

  public SchedulerConfig {
    type = Check.oneOf("type", type, CONSTANT, List.of(MULTI_STEP, COSINE_RESTART, CONSTANT));
    milestones = milestones == null ? List.of() : List.copyOf(milestones);
    for (int i = 0; i < milestones.size(); i++) {
      if (milestones.get(i) < 1 || (i > 0 && milestones.get(i) <= milestones.get(i - 1))) {
        throw new InvalidValue("milestones", milestones, "increasing iteration numbers >= 1");
      }
    }
    gamma = Check.positive("gamma", gamma, 0.5);
    periods = periods == null ? List.of() : List.copyOf(periods);
    for (long p : periods) {
      if (p < 1) {
        throw new InvalidValue("periods", periods, "iteration counts >= 1");
      }
    }
    restartWeights = restartWeights == null ? java.util.Collections.nCopies(periods.size(), 1.0) : List.copyOf(restartWeights);
    if (restartWeights.size() != periods.size()) {
      throw new InvalidValue("restart_weights", restartWeights, "one weight per period (" + periods.size() + ")");
    }
    etaMin = Check.nonNegative("eta_min", etaMin, 1e-7);
    if (type.equals(COSINE_RESTART) && periods.isEmpty()) {
      throw new InvalidValue("periods", "(missing)", "the lengths of the cosine cycles, e.g. [250000, 250000]");
    }
    if (type.equals(MULTI_STEP) && milestones.isEmpty()) {
      throw new InvalidValue("milestones", "(missing)", "the iterations at which the rate is multiplied by gamma");
    }
  }

  /** The schedule's parameters in one phrase (empty for a constant rate). */
  public String describe() {
    return switch (type) {
      case MULTI_STEP -> "x" + gamma + " at " + milestones;
      case COSINE_RESTART -> "periods " + periods + ", restart weights " + restartWeights + ", eta_min " + etaMin;
      default -> "";
    };
  }

  public static SchedulerConfig constant() {
    return new SchedulerConfig(CONSTANT, null, null, null, null, null);
  }
}
