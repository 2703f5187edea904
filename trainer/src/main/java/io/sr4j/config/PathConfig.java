package io.sr4j.config;

import java.util.List;

/**
 * {@code path}: where runs go and what to start from. {@code pretrain_network_g} is a checkpoint of this project, a
 * PyTorch {@code .pth}, a {@code .safetensors} or an SRCNN {@code .mat} file; {@code param_key_g} picks the weights
 * inside BasicSR files (params or params_ema); {@code strict_load_g: false} lets shapes that match load while others
 * keep their initialisation. {@code pretrain_network_d} starts the discriminator from a checkpoint of this project.
 */
public record PathConfig(String experimentsRoot, String pretrainNetworkG, String paramKeyG, Boolean strictLoadG,
    String pretrainNetworkD) {
  public PathConfig {
    experimentsRoot = experimentsRoot == null ? "experiments" : experimentsRoot;
    paramKeyG = Check.oneOf("param_key_g", paramKeyG, "params", List.of("params", "params_ema", "none"));
    strictLoadG = strictLoadG == null || strictLoadG;
  }

  public static PathConfig defaults() {
    return new PathConfig(null, null, null, null, null);
  }
}
