package io.sr4j.cli;

import io.sr4j.config.ConfigLoader;
import io.sr4j.train.RunPlan;
import io.sr4j.train.RunSetup;
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
      "loss and validation plots, visualization/ (validation samples), status.json, train.log and config.yml."
    })
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "CONFIG", description = "The YAML config file.")
  Path config;

  @Option(names = "--set", paramLabel = "KEY.PATH=VALUE", description = "Override a config key (repeatable), e.g. train.total_iter=1000.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--resume", paramLabel = "auto|CHECKPOINT",
      description = "Continue a run: 'auto' takes the newest good checkpoint of this run, or give a checkpoint file.")
  String resume;

  @Option(names = "--dry-run", description = "Validate the whole run and print it (networks, data, losses, schedule, "
      + "output folder) without building or writing anything.")
  boolean dryRun;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (dryRun) {
      RunPlan plan = RunSetup.plan(ConfigLoader.load(config, overrides), RunSetup.Source.of(config, overrides), resume);
      plan.describe().forEach(out::println);
      out.println("dry run: the config is valid; nothing was built or written");
      return 0;
    }
    RunPlan plan = RunSetup.prepare(config, overrides, resume);
    Trainer.Result r = new Trainer(plan, line -> {
      out.println(line);
      out.flush();
    }, System.console() != null).run(resume);
    out.println("trained " + r.trainedNow() + " iterations in this call (" + (r.iterations() - r.trainedNow()) + " -> "
        + r.iterations() + " of " + plan.cfg().train().totalIter() + "); outputs in " + r.runDir());
    return 0;
  }
}
