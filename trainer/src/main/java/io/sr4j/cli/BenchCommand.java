package io.sr4j.cli;

import io.sr4j.loss.LossBenchmark;
import io.sr4j.arch.Architectures;
import io.sr4j.nn.BackwardBenchmark;
import io.sr4j.nn.ConvBenchmark;
import io.sr4j.nn.InputGradientGraph;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure speed: 'sr bench conv' (convolution kernels), 'sr bench backward' (full vs frozen backward),"
        + " 'sr bench train' (a training step), 'sr bench loss' (loss terms by route).",
    subcommands = {BenchCommand.Conv.class, BenchCommand.Backward.class, BenchTrainCommand.class, BenchCommand.Loss.class})
final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "a benchmark is required: conv, backward, train or loss");
  }

  @Command(
      name = "backward",
      mixinStandardHelpOptions = true,
      description = {
        "Time the full backward (parameter and input gradients) against the frozen backward (input gradient only,",
        "as training runs VGG-19 and the discriminator during the generator step) of VGG-19 features to conv5_4 and",
        "the VGG-128 discriminator with BatchNorm, random weights, float. Median ms of the training-mode forward, the",
        "full backward and the frozen backward."
      })
  static final class Backward implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--warmup", defaultValue = "2", paramLabel = "N", description = "Untimed iterations. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--iters", defaultValue = "5", paramLabel = "N", description = "Timed iterations (median reported). Default: ${DEFAULT-VALUE}.")
    int iters;

    @Option(names = "--batch", defaultValue = "4", paramLabel = "N", description = "Batch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--size", defaultValue = "128", paramLabel = "PX", description = "Input height and width, a multiple of 32. Default: ${DEFAULT-VALUE}.")
    int size;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Override
    public Integer call() {
      if (warmup < 0 || iters < 1 || batch < 1) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "need --warmup >= 0, --iters >= 1 and --batch >= 1");
      }
      if (size < 32 || size % 32 != 0) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "--size must be a positive multiple of 32 (the discriminator halves it five times), got " + size);
      }
      Map<String, BackwardBenchmark.Result> results = new LinkedHashMap<>();
      Map<String, ComputationGraphConfiguration> nets = new LinkedHashMap<>();
      nets.put("vgg19 to conv5_4", Architectures.get("vgg19")
          .configuration(Map.of("layers", List.of("conv5_4")), "vgg19"));
      nets.put("vgg128 discriminator (BN)", Architectures.get("vgg128")
          .configuration(Map.of("input_size", size), "vgg128"));
      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "float, input %dx3x%dx%d, %d timed iterations (median ms)%n", batch, size, size, iters);
      out.printf(Locale.ROOT, "%-28s %10s %14s %16s %9s%n", "network", "forward", "full backward", "frozen backward",
          "speed-up");
      for (var e : nets.entrySet()) {
        InputGradientGraph g = InputGradientGraph.create(e.getValue());
        BackwardBenchmark.Result r = BackwardBenchmark.run(g,
            BackwardBenchmark.randomImages(batch, 3, size, size), warmup, iters);
        results.put(e.getKey(), r);
        out.printf(Locale.ROOT, "%-28s %10.1f %14.1f %16.1f %8.2fx%n", e.getKey(), r.forwardMs(),
            r.fullBackwardMs(), r.frozenBackwardMs(), r.speedup());
        out.flush();
      }
      if (json != null) {
        JsonOutput.write(json, results);
      }
      return 0;
    }
  }

  @Command(
      name = "conv",
      mixinStandardHelpOptions = true,
      description = {
        "Time the convolution kernels of FastConv2D on the zoo's shapes (float): forward, backward-data and",
        "backward-weights of the project's oneDNN primitives, against libnd4j's conv2d / deconv2d / conv2d_bp.",
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
        description = "Shape groups: reference (3x3 64->64, 16x64x32x32, blocked and NCHW activations), rrdb, "
            + "vgg19, vgg128d, srcnn. Default: all.")
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
      out.printf(Locale.ROOT, "layout: input/output activations of the oneDNN primitives, n = NCHW, b = blocked "
          + "nChw16c (as the zoo's networks run them); libnd4j's ops: NCHW%n");
      out.printf(Locale.ROOT, "%-26s %-24s %-6s | %7s %7s %7s %7s %7s | %7s %7s %7s %7s%n", "case", "shape",
          "layout", "fwd", "bwd-d", "bwd-w", "bwd", "GFLOP/s", "fwd", "bwd-d", "bwd", "GFLOP/s");
      out.printf(Locale.ROOT, "%-26s %-24s %-6s | %-39s | %-31s%n", "", "", "", "oneDNN primitives (FastConv2D)",
          noLibnd4j ? "" : "libnd4j conv2d / deconv2d / conv2d_bp");
      for (ConvBenchmark.Row row : r.rows()) {
        out.printf(Locale.ROOT, "%-26s %-24s %-6s | %7s %7s %7s %7s %7s | %7s %7s %7s %7s%n", row.conv().name(),
            shape(row.conv()), layout(row.conv()), ms(row.newFwdMs()), ms(row.newBwdDataMs()),
            ms(row.newBwdWeightsMs()), ms(row.newBwdMs()), gflops(row.newGflops()), ms(row.libFwdMs()),
            ms(row.libBwdDataMs()), ms(row.libBwdMs()), gflops(row.libGflops()));
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

    private static String layout(ConvBenchmark.Case c) {
      return (c.blockedSrc() ? "b" : "n") + "/" + (c.blockedDst() ? "b" : "n");
    }

    private static String ms(double v) {
      return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String gflops(double v) {
      return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
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
      out.printf(Locale.ROOT, "%-36s %14s %16s%n", "term", "median ms/call", "peak resident MB");
      r.medianSeconds().forEach((k, v) -> out.printf(Locale.ROOT, "%-36s %14.2f %16.0f%n", k, v * 1000,
          r.peakResidentMb().get(k)));
      if (json != null) {
        JsonOutput.write(json, r);
      }
      return 0;
    }
  }
}
