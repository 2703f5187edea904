package io.sr4j.cli;

import io.sr4j.nn.ConvBenchmark;
import io.sr4j.nn.ConvBenchmarkResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure speed: 'sr bench conv' (one convolution layer), 'sr bench train' (a training step).",
    subcommands = {BenchCommand.Conv.class, BenchTrainCommand.class})
final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a benchmark is required: conv or train");
  }

  @Command(
      name = "conv",
      mixinStandardHelpOptions = true,
      description = {
        "Time a 3x3 64->64 convolution, forward + backward, on a 16x64x32x32 float batch,",
        "with the project's oneDNN layer (FastConv2D) and DL4J's stock ConvolutionLayer in the same run."
      })
  static final class Conv implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--warmup", defaultValue = "10", paramLabel = "N", description = "Untimed steps per layer. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--iters", defaultValue = "30", paramLabel = "N", description = "Timed steps per layer (median reported). Default: ${DEFAULT-VALUE}.")
    int iters;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON.")
    Path json;

    @Override
    public Integer call() {
      if (warmup < 0 || iters < 1) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "need --warmup >= 0 and --iters >= 1");
      }
      ConvBenchmarkResult r = ConvBenchmark.run(warmup, iters);
      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "conv %dx%d, %d->%d channels, input %dx%dx%dx%d %s, %d threads, %d timed steps%n",
          r.kernel(), r.kernel(), r.inChannels(), r.outChannels(), r.batch(), r.inChannels(), r.height(), r.width(),
          r.dataType(), r.threads(), r.timedIterations());
      out.printf(Locale.ROOT, "%-28s %14s %10s%n", "layer", "median s/step", "GFLOP/s");
      out.printf(Locale.ROOT, "%-28s %14.5f %10.1f%n", "FastConv2D (oneDNN ops)", r.fastMedianSeconds(), r.fastGflops());
      out.printf(Locale.ROOT, "%-28s %14.5f %10.1f%n", "ConvolutionLayer (stock)", r.stockMedianSeconds(), r.stockGflops());
      out.printf(Locale.ROOT, "speed-up: %.1fx%n", r.speedup());
      if (json != null) {
        JsonOutput.write(json, r);
      }
      return 0;
    }
  }
}
