package io.sr4j.cli;

import io.sr4j.infer.Models;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --model} and what describes a model file that does not describe itself. */
public final class ModelOptions {
  @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL",
      description = "bicubic, bilinear, nearest, or a model file: a checkpoint/export (.zip), SRCNN MATLAB "
          + "weights (.mat), PyTorch (.pth) or safetensors weights of ESRGAN/BasicSR RRDBNet or MSRResNet, "
          + "or zoo:NAME (a generator fetched with 'sr weights download NAME').")
  String model;

  @Option(names = "--arch", paramLabel = "NAME",
      description = "Architecture of a plain DL4J .zip without a model card (see 'sr model-info --list').")
  String arch;

  @Option(names = "--opt", paramLabel = "KEY=VALUE", description = "An architecture option for --arch (repeatable).")
  List<String> opts = new ArrayList<>();

  @Option(names = "--param-key", defaultValue = "params", paramLabel = "KEY",
      description = "Weights to take: params or params_ema, in BasicSR .pth files and in this project's training "
          + "checkpoints (params_ema = the EMA weights). Default: ${DEFAULT-VALUE}.")
  String paramKey;

  public Models.ModelSpec spec() {
    return new Models.ModelSpec(model, arch, ArchOptionsParser.parse(opts), paramKey);
  }
}
