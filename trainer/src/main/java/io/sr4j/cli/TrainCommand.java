package io.sr4j.cli;

import io.sr4j.config.ConfigLoader;
import io.sr4j.config.TrainConfig;
import io.sr4j.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a generator from a YAML config (see configs/README.md).",
      "",
      "Outputs go to <path.experiments_root>/<name>/: checkpoints/, models/net_g_final.zip, metrics.jsonl/.csv,",
      "loss and validation plots, visualization/ (validation samples), train.log and the resolved config.yml."
    })
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "CONFIG", description = "The YAML config file.")
  Path config;

  @Option(names = "--set", paramLabel = "KEY.PATH=VALUE", description = "Override a config key (repeatable), e.g. train.total_iter=1000.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--resume", paramLabel = "auto|CHECKPOINT",
      description = "Continue a run: 'auto' takes the newest complete checkpoint of this run, or give a checkpoint file.")
  String resume;

  @Override
  public Integer call() {
    TrainConfig cfg = ConfigLoader.load(config, overrides);
    PrintWriter out = spec.commandLine().getOut();
    Trainer trainer = new Trainer(cfg, line -> {
      out.println(line);
      out.flush();
    });
    Trainer.Result r = trainer.run(resume);
    out.println("trained " + r.iterations() + " iterations; outputs in " + r.runDir());
    return 0;
  }
}
