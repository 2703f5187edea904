package io.sr4j.cli;

import io.sr4j.nn.ConvBenchmark;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure speed: 'sr bench conv' (convolution kernels), 'sr bench train' (a training step).",
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
        "Time the convolution kernels of FastConv2D on the zoo's shapes (float): forward, backward-data and",
        "backward-weights of the project's oneDNN primitives, against libnd4j's conv2d / conv2d_input_bp / conv2d_bp.",
        "Milliseconds per call (median); fwd+bwd GFLOP/s = 3 passes (2 for a first layer) / (fwd + whole bwd)."
      })
  static final class Conv implements Callable<Integer> {
    private static final List<String> GROUPS = List.of("reference", "rrdb", "vgg19", "vgg128d", "srcnn");

    @Spec CommandSpec spec;

    @Option(names = "--warmup", defaultValue = "3", paramLabel = "N", description = "Untimed calls per pass. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--iters", defaultValue = "10", paramLabel = "N", description = "Timed calls per pass (median reported). Default: ${DEFAULT-VALUE}.")
    int iters;

    @Option(names = "--shapes", split = ",", paramLabel = "GROUP", defaultValue = "reference,rrdb,vgg19,vgg128d,srcnn",
        description = "Shape groups: reference (3x3 64->64, 16x64x32x32), rrdb, vgg19, vgg128d, srcnn. Default: all.")
    List<String> shapes;

    @Option(names = "--no-libnd4j", description = "Time the oneDNN primitives only.")
    boolean noLibnd4j;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON.")
    Path json;

    @Override
    public Integer call() {
      if (warmup < 0 || iters < 1) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "need --warmup >= 0 and --iters >= 1");
      }
      Set<String> groups = new LinkedHashSet<>(shapes);
      for (String g : groups) {
        if (!GROUPS.contains(g)) {
          throw new picocli.CommandLine.ParameterException(spec.commandLine(),
              "--shapes: unknown group '" + g + "'; expected some of " + String.join(", ", GROUPS));
        }
      }
      List<ConvBenchmark.Case> cases = new ArrayList<>();
      for (ConvBenchmark.Case c : ConvBenchmark.zooCases()) {
        if (groups.contains(c.group())) {
          cases.add(c);
        }
      }
      ConvBenchmark.Result r = ConvBenchmark.run(cases, warmup, iters, !noLibnd4j);
      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "float, %d ND4J threads, %d timed calls per pass (median ms per call)%n", r.threads(),
          r.timedIterations());
      out.printf(Locale.ROOT, "%-26s %-24s | %7s %7s %7s %7s %7s | %7s %7s %7s %7s%n", "case", "shape", "fwd",
          "bwd-d", "bwd-w", "bwd", "GFLOP/s", "fwd", "bwd-d", "bwd", "GFLOP/s");
      out.printf(Locale.ROOT, "%-26s %-24s | %-39s | %-31s%n", "", "", "oneDNN primitives (FastConv2D)",
          noLibnd4j ? "" : "libnd4j conv2d / _input_bp / _bp");
      for (ConvBenchmark.Row row : r.rows()) {
        out.printf(Locale.ROOT, "%-26s %-24s | %7s %7s %7s %7s %7s | %7s %7s %7s %7s%n", row.conv().name(),
            shape(row.conv()), ms(row.newFwdMs()), ms(row.newBwdDataMs()), ms(row.newBwdWeightsMs()),
            ms(row.newBwdMs()), gflops(row.newGflops()), ms(row.libFwdMs()), ms(row.libBwdDataMs()),
            ms(row.libBwdMs()), gflops(row.libGflops()));
      }
      if (json != null) {
        JsonOutput.write(json, r);
      }
      return 0;
    }

    private static String shape(ConvBenchmark.Case c) {
      return String.format(Locale.ROOT, "%dx%dx%dx%d k%d%s", c.n(), c.inC(), c.h(), c.w(), c.kernel(),
          c.stride() == 1 ? "" : " s" + c.stride());
    }

    private static String ms(double v) {
      return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String gflops(double v) {
      return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }
  }
}
