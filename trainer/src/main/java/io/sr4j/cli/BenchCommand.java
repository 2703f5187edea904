package io.sr4j.cli;

import io.sr4j.loss.LossBenchmark;
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
    description = "Measure speed: 'sr bench conv' (one convolution layer), 'sr bench train' (a training step), "
        + "'sr bench loss' (loss terms by route).",
    subcommands = {BenchCommand.Conv.class, BenchTrainCommand.class, BenchCommand.Loss.class})
final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a benchmark is required: conv, train or loss");
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

  @Command(
      name = "loss",
      mixinStandardHelpOptions = true,
      description = {
        "Time loss terms (value + gradient per call) by route, on random float batches: group pixel (Charbonnier",
        "hand-written and as a SameDiff graph, next to L1, SSIM and the autodiff-only GradientLoss) and group cobi",
        "(the CoBi loss with its defaults and random VGG-19 weights, hand-derived and SameDiff backward)."
      })
  static final class Loss implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--shape", defaultValue = "16,3,128,128", split = ",", paramLabel = "N,C,H,W",
        description = "Batch shape. Default: ${DEFAULT-VALUE} (BasicSR's HR batch).")
    long[] shape;

    @Option(names = "--warmup", defaultValue = "3", paramLabel = "N", description = "Untimed calls per term. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--iters", defaultValue = "15", paramLabel = "N", description = "Timed calls per term (median). Default: ${DEFAULT-VALUE}.")
    int iters;

    @Option(names = "--terms", defaultValue = "pixel", split = ",", paramLabel = "GROUP[,GROUP]",
        description = "Groups of terms: pixel, cobi. Default: ${DEFAULT-VALUE}.")
    java.util.List<String> terms;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON.")
    Path json;

    @Override
    public Integer call() {
      for (String g : terms) {
        if (!LossBenchmark.GROUPS.contains(g)) {
          throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--terms: '" + g + "' is not one of "
              + LossBenchmark.GROUPS);
        }
      }
      if (shape.length != 4 || java.util.Arrays.stream(shape).anyMatch(d -> d < 1 || d > 4096) || warmup < 0 || iters < 1) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "need --shape N,C,H,W with sizes in 1..4096, --warmup >= 0 and --iters >= 1");
      }
      LossBenchmark.Result r = LossBenchmark.run(shape, warmup, iters, terms);
      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "loss terms on float %s, %d timed calls each%n", r.shape(), r.iterations());
      out.printf(Locale.ROOT, "%-36s %14s%n", "term", "median ms/call");
      r.medianSeconds().forEach((k, v) -> out.printf(Locale.ROOT, "%-36s %14.2f%n", k, v * 1000));
      if (json != null) {
        JsonOutput.write(json, r);
      }
      return 0;
    }
  }
}
