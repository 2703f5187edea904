package io.sr4j.config;

/** {@code train}: optimisation of the generator (PSNR stage). */
public record TrainSection(
    OptimizerConfig optimG, SchedulerConfig scheduler, Long totalIter, Long warmupIter, LossConfig pixelOpt,
    Double emaDecay) {
  public TrainSection {
    optimG = optimG == null ? new OptimizerConfig(null, null, null, null, null, null) : optimG;
    scheduler = scheduler == null ? SchedulerConfig.constant() : scheduler;
    totalIter = Check.longAtLeast("total_iter", totalIter, 1, 0);
    warmupIter = Check.longAtLeast("warmup_iter", warmupIter, -1, -1);
    Check.required("pixel_opt", pixelOpt);
    emaDecay = Check.inRange("ema_decay", emaDecay, 0, 0.999999, 0);
  }
}
