package io.sr4j.ckpt;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Where a model file comes from, stored as {@code sr4j/provenance.json} in every model file the project writes
 * (training checkpoints, final models, exports): the resolved config's SHA-256 (the config itself is stored next to
 * it as {@code sr4j/config.yml}), the config file it was read from and the {@code --set} overrides, the data sets
 * with their sizes, the seed, the project version and git commit (when built from a checkout), the ND4J version and
 * backend, and when the run started and the file was written (UTC, ISO-8601). {@code formatVersion} is the version of
 * the model file layout ({@link #FORMAT_VERSION}); files without this entry are version 1.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Provenance(
    int formatVersion,
    String configSha256,
    String configFile,
    List<String> overrides,
    Long seed,
    List<DataSet> datasets,
    String sr4jVersion,
    String gitCommit,
    String nd4jVersion,
    String nd4jBackend,
    String started,
    String written) {
  /** Version 2: version 1 (network, card, training state, config, EMA, D) plus this provenance entry. */
  public static final int FORMAT_VERSION = 2;

  /** A data set a run read: its role (train, val), name, folder and number of images. */
  public record DataSet(String role, String name, String path, int images) {}

  /** This provenance as of another write time. */
  public Provenance writtenAt(String time) {
    return new Provenance(formatVersion, configSha256, configFile, overrides, seed, datasets, sr4jVersion, gitCommit,
        nd4jVersion, nd4jBackend, started, time);
  }
}
