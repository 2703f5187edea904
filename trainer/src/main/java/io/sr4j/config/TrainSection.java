package io.sr4j.config;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code train}: optimisation of the generator and, for GAN training, of the discriminator (one scheduler for both,
 * as BasicSR); {@code net_d_iters} trains G every that many iterations, {@code net_d_init_iters} trains D alone for
 * that many first iterations. {@code ema_decay} is null when absent: {@link TrainConfig#emaDecay()} resolves it.
 * Every {@code <name>_opt} section is a term of the generator's loss ({@code pixel_opt}, {@code perceptual_opt},
 * {@code gan_opt}, ...), in the order the file gives them; its {@code type} names the term.
 */
public record TrainSection(
    OptimizerConfig optimG, OptimizerConfig optimD, SchedulerConfig scheduler, Long totalIter, Long warmupIter,
    Double emaDecay, @JsonProperty("net_d_iters") Integer netDIters,
    @JsonProperty("net_d_init_iters") Integer netDInitIters,
    @JsonDeserialize(contentUsing = LossTermConfig.Reader.class)
    @ExtraKeys(pattern = LOSS_KEY, meaning = "a loss section <name>_opt")
    Map<String, LossTermConfig> losses) {
  /** Keys of loss sections. */
  public static final String LOSS_KEY = "[a-z][a-z0-9]*_opt";

  public TrainSection {
    optimG = optimG == null ? new OptimizerConfig(null, null, null, null, null, null) : optimG;
    scheduler = scheduler == null ? SchedulerConfig.constant() : scheduler;
    totalIter = Check.longAtLeast("total_iter", totalIter, 1, 0);
    warmupIter = Check.longAtLeast("warmup_iter", warmupIter, -1, -1);
    netDIters = Check.intAtLeast("net_d_iters", netDIters, 1, 1);
    netDInitIters = Check.intAtLeast("net_d_init_iters", netDInitIters, 0, 0);
    emaDecay = emaDecay == null ? null : Check.inRange("ema_decay", emaDecay, 0, 0.999999, 0);
    losses = losses == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(losses));
    for (String key : losses.keySet()) {
      if (!key.matches(LOSS_KEY)) {
        throw new InvalidValue(key, "(key)", "a loss section named <name>_opt");
      }
    }
  }

  @JsonAnyGetter
  @Override
  public Map<String, LossTermConfig> losses() {
    return losses;
  }

  /** The adversarial term's config, or null. */
  public GanConfig ganOpt() {
    for (LossTermConfig c : losses.values()) {
      if (c instanceof GanConfig g) {
        return g;
      }
    }
    return null;
  }
}
