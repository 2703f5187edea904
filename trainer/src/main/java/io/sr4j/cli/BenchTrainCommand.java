package io.sr4j.cli;

import io.sr4j.train.RunSetup;
import io.sr4j.train.TrainBenchmark;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Time the training step of a config: median seconds per iteration and the GFLOP/s achieved",
      "(multiply-adds of every convolution and dense layer counted from their shapes, forward + both gradients),",
      "next to the patches/s the data pipeline delivers on its own."
    })
final class BenchTrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "A training config.")
  Path config;

  @Option(names = "--set", paramLabel = "KEY.PATH=VALUE", description = "Override a config key (repeatable).")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--warmup", defaultValue = "5", paramLabel = "N", description = "Untimed steps. Default: ${DEFAULT-VALUE}.")
  long warmup;

  @Option(names = "--iters", defaultValue = "20", paramLabel = "N", description = "Timed steps. Default: ${DEFAULT-VALUE}.")
  long iters;

  @Option(names = "--profile", description = "Also break the step down by phase (G forward/backward, VGG and D passes, "
      + "optimizers, EMA, GC): seconds per iteration of each, over the timed steps.")
  boolean profile;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON.")
  Path json;

  @Override
  public Integer call() throws InterruptedException {
    if (warmup < 1 || iters < 1) {
      throw new ParameterException(spec.commandLine(), "need --warmup >= 1 and --iters >= 1");
    }
    TrainBenchmark.Result r = TrainBenchmark.run(RunSetup.prepare(config, overrides, null), warmup, iters, profile);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "%s%nbatch %d, input %s, %d threads, %d timed iterations%n", r.network(), r.batch(),
        r.inputShape(), r.threads(), r.iterations());
    out.printf(Locale.ROOT, "median %.4f s/iter, %.2f GFLOP/iter, %.1f GFLOP/s, %.0f patches/s%n",
        r.medianSecondsPerIter(), r.gflopPerIter(), r.gflops(), r.patchesPerSecond());
    out.printf(Locale.ROOT, "GFLOP per iteration by network: %s%n", r.gflopByNetwork());
    out.printf(Locale.ROOT, "data pipeline alone: %.0f patches/s%n", r.pipelinePatchesPerSecond());
    if (profile) {
      double sum = r.secondsPerIterByPhase().values().stream().mapToDouble(Double::doubleValue).sum();
      out.printf(Locale.ROOT, "%-34s %10s %7s%n", "phase (nested phases are inside 'all')", "s/iter", "share");
      r.secondsPerIterByPhase().forEach((k, v) -> out.printf(Locale.ROOT, "%-34s %10.4f %6.1f%%%n", k, v,
          100 * v / r.medianSecondsPerIter()));
      out.printf(Locale.ROOT, "(mean step %.4f s; phases sum to %.4f s counting nested ones twice)%n",
          r.secondsPerIterByPhase().entrySet().stream().filter(e -> !isNested(e.getKey()))
              .mapToDouble(Map.Entry::getValue).sum(), sum);
    }
    if (json != null) {
      JsonOutput.write(json, r);
    }
    return 0;
  }

  /** Phases timed inside a loss term's "all" phase. */
  private static boolean isNested(String phase) {
    return phase.startsWith("VGG") || phase.startsWith("G step: D");
  }
}
