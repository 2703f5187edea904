package io.sr4j.train;

import io.sr4j.config.SchedulerConfig;
import java.util.List;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * BasicSR's learning-rate schedules as a DL4J {@link ISchedule}, evaluated at the number of iterations already
 * completed ({@code t}, 0 for the first step): MultiStepLR multiplies the base rate by {@code gamma} for every
 * milestone {@code m <= t}; CosineAnnealingRestartLR runs {@code eta_min + w_i/2 (base - eta_min)(1 + cos(pi (t -
 * start_i) / period_i))} in cycle i (the first whose cumulative end is {@code >= t}); ConstantLR keeps the base. A
 * linear warm-up {@code base * (t + 1) / warmup} replaces the rate during the first {@code warmup} steps. Pure
 * functions of t, so resuming needs no scheduler state.
 */
public final class LrSchedule implements ISchedule {
  private static final long serialVersionUID = 1L;

  private final String type;
  private final double base;
  private final long[] milestones;
  private final double gamma;
  private final long[] periods;
  private final double[] restartWeights;
  private final double etaMin;
  private final long warmup;

  public LrSchedule(@JsonProperty("type") String type, @JsonProperty("base") double base,
      @JsonProperty("milestones") long[] milestones, @JsonProperty("gamma") double gamma,
      @JsonProperty("periods") long[] periods, @JsonProperty("restartWeights") double[] restartWeights,
      @JsonProperty("etaMin") double etaMin, @JsonProperty("warmup") long warmup) {
    this.type = type;
    this.base = base;
    this.milestones = milestones.clone();
    this.gamma = gamma;
    this.periods = periods.clone();
    this.restartWeights = restartWeights.clone();
    this.etaMin = etaMin;
    this.warmup = warmup;
  }

  /** The schedule a config describes, for a parameter group whose base rate is {@code baseLr}. */
  public static LrSchedule of(SchedulerConfig c, double baseLr, long warmupIter) {
    return new LrSchedule(c.type(), baseLr, toLongs(c.milestones()), c.gamma(), toLongs(c.periods()),
        c.restartWeights().stream().mapToDouble(Double::doubleValue).toArray(), c.etaMin(), Math.max(0, warmupIter));
  }

  private static long[] toLongs(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).toArray();
  }

  /** Learning rate of the step after {@code completed} iterations. */
  public double at(long completed) {
    if (completed < warmup) {
      return base * (completed + 1) / warmup;
    }
    return switch (type) {
      case SchedulerConfig.MULTI_STEP -> {
        double lr = base;
        for (long m : milestones) {
          if (m <= completed) {
            lr *= gamma;
          }
        }
        yield lr;
      }
      case SchedulerConfig.COSINE_RESTART -> {
        long start = 0;
        for (int i = 0; i < periods.length; i++) {
          if (completed <= start + periods[i]) {
            double phase = (double) (completed - start) / periods[i];
            yield etaMin + restartWeights[i] * 0.5 * (base - etaMin) * (1 + Math.cos(Math.PI * phase));
          }
          start += periods[i];
        }
        yield etaMin;
      }
      default -> base;
    };
  }

  @Override
  public double valueAt(int iteration, int epoch) {
    return at(iteration);
  }

  @Override
  public LrSchedule clone() {
    return new LrSchedule(type, base, milestones, gamma, periods, restartWeights, etaMin, warmup);
  }

  public String getType() {
    return type;
  }

  public double getBase() {
    return base;
  }

  public long[] getMilestones() {
    return milestones.clone();
  }

  public double getGamma() {
    return gamma;
  }

  public long[] getPeriods() {
    return periods.clone();
  }

  public double[] getRestartWeights() {
    return restartWeights.clone();
  }

  public double getEtaMin() {
    return etaMin;
  }

  public long getWarmup() {
    return warmup;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LrSchedule s && s.type.equals(type) && s.base == base && s.gamma == gamma
        && s.etaMin == etaMin && s.warmup == warmup && java.util.Arrays.equals(s.milestones, milestones)
        && java.util.Arrays.equals(s.periods, periods) && java.util.Arrays.equals(s.restartWeights, restartWeights);
  }

  @Override
  public int hashCode() {
    return type.hashCode() * 31 + Double.hashCode(base);
  }

  @Override
  public String toString() {
    return "LrSchedule(" + type + ", base=" + base + ")";
  }
}
