package io.sr4j.config;

import java.util.List;

/**
 * A training run, as read from a YAML file. Key names and meanings follow BasicSR's option files where they
 * overlap; {@code configs/README.md} documents every key.
 */
public record TrainConfig(
    String name,
    String modelType,
    Integer scale,
    Long manualSeed,
    Integer numThreads,
    DatasetsConfig datasets,
    NetworkConfig networkG,
    NetworkConfig networkD,
    PathConfig path,
    TrainSection train,
    ValSection val,
    LoggerSection logger) {

  public TrainConfig {
    name = Check.required("name", name);
    if (!name.matches("[A-Za-z0-9_.-]+")) {
      throw new InvalidValue("name", "'" + name + "'", "letters, digits, '_', '-' and '.' (it names the run folder)");
    }
    modelType = Check.oneOf("model_type", modelType, "SRModel", List.of("SRModel", "SRGANModel", "ESRGANModel"));
    scale = Check.oneOfInts("scale", scale, 4, 2, 3, 4);
    manualSeed = manualSeed == null ? 0L : manualSeed;
    numThreads = Check.intAtLeast("num_threads", numThreads, 0, 0);
    Check.required("datasets", datasets);
    Check.required("network_g", networkG);
    path = path == null ? PathConfig.defaults() : path;
    Check.required("train", train);
    val = val == null ? ValSection.defaults() : val;
    logger = logger == null ? LoggerSection.defaults() : logger;
    long adversarial = train.losses().values().stream().filter(c -> c instanceof GanConfig).count();
    if (!modelType.equals("SRModel")) { // isGan(), but fields are not assigned yet in a compact constructor
      Check.required("network_d", networkD);
      if (adversarial != 1) {
        throw new InvalidValue("train.gan_opt", adversarial == 0 ? "(missing)" : adversarial + " GANLoss sections",
            "one adversarial loss (type GANLoss) for " + modelType);
      }
    } else {
      if (networkD != null || adversarial > 0 || train.optimD() != null) {
        throw new InvalidValue("model_type", modelType, "SRGANModel or ESRGANModel when network_d, optim_d or a GANLoss are given");
      }
      if (train.losses().isEmpty()) {
        throw new InvalidValue("train.pixel_opt", "(missing)", "at least one loss section, e.g. pixel_opt: {type: L1Loss}");
      }
    }
  }

  /** Adversarial training (SRGANModel or ESRGANModel). */
  public boolean isGan() {
    return !modelType.equals("SRModel");
  }

  /** Whether the adversarial loss is relativistic: gan_opt.relativistic, by default true only for ESRGANModel. */
  public boolean relativisticGan() {
    Boolean r = train.ganOpt() == null ? null : train.ganOpt().relativistic();
    return r != null ? r : modelType.equals("ESRGANModel");
  }

  /** Decay of the generator's weight EMA (0: no EMA): train.ema_decay, by default 0.999 for GAN training, else 0. */
  public double emaDecay() {
    Double d = train.emaDecay();
    return d != null ? d : isGan() ? 0.999 : 0;
  }
}
