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
    PathConfig path,
    TrainSection train,
    ValSection val,
    LoggerSection logger) {

  public TrainConfig {
    name = Check.required("name", name);
    if (!name.matches("[A-Za-z0-9_.-]+")) {
      throw new InvalidValue("name", "'" + name + "'", "letters, digits, '_', '-' and '.' (it names the run folder)");
    }
    modelType = Check.oneOf("model_type", modelType, "SRModel", List.of("SRModel"));
    scale = Check.oneOfInts("scale", scale, 4, 2, 3, 4);
    manualSeed = manualSeed == null ? 0L : manualSeed;
    numThreads = Check.intAtLeast("num_threads", numThreads, 0, 0);
    Check.required("datasets", datasets);
    Check.required("network_g", networkG);
    path = path == null ? PathConfig.defaults() : path;
    Check.required("train", train);
    val = val == null ? ValSection.defaults() : val;
    logger = logger == null ? LoggerSection.defaults() : logger;
  }
}
