package io.sr4j.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code train}: optimisation of the generator and, for GAN training, of the discriminator (one scheduler for both,
 * as BasicSR); the losses; {@code net_d_iters} trains G every that many iterations, {@code net_d_init_iters} trains D
 * alone for that many first iterations. {@code ema_decay} is null when absent: {@link TrainConfig#emaDecay()} resolves it.
 */
public record TrainSection(
    OptimizerConfig optimG, OptimizerConfig optimD, SchedulerConfig scheduler, Long totalIter, Long warmupIter,
    LossConfig pixelOpt, PerceptualConfig perceptualOpt, GanConfig ganOpt, Double emaDecay,
    @JsonProperty("net_d_iters") Integer netDIters, @JsonProperty("net_d_init_iters") Integer netDInitIters) {
  public TrainSection {
    optimG = optimG == null ? new OptimizerConfig(null, null, null, null, null, null) : optimG;
    scheduler = scheduler == null ? SchedulerConfig.constant() : scheduler;
    totalIter = Check.longAtLeast("total_iter", totalIter, 1, 0);
    warmupIter = Check.longAtLeast("warmup_iter", warmupIter, -1, -1);
    netDIters = Check.intAtLeast("net_d_iters", netDIters, 1, 1);
    netDInitIters = Check.intAtLeast("net_d_init_iters", netDInitIters, 0, 0);
    emaDecay = emaDecay == null ? null : Check.inRange("ema_decay", emaDecay, 0, 0.999999, 0);
  }
}
