package io.sr4j.cli;

import io.sr4j.arch.Architecture;
import io.sr4j.arch.Architectures;
import io.sr4j.arch.DiscriminatorOptions;
import io.sr4j.arch.ParameterCount;
import io.sr4j.data.BadInputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "model-info",
    mixinStandardHelpOptions = true,
    description = {
      "Print an architecture's layers with their output shapes and parameter counts, and the total.",
      "",
      "Counts are trainable parameters as PyTorch counts them (BatchNorm running statistics excluded).",
      "Output shapes are for one input image of --input-size (default 64x64; a discriminator's own input_size)."
    })
final class ModelInfoCommand implements Callable<Integer> {
  /** The JSON written by --json. */
  record Info(String arch, long params) {}

  /** Input side when neither --input-size nor the architecture (discriminators) says. */
  private static final int DEFAULT_INPUT_PX = 64;

  @Spec CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "ARCH", description = "A registered architecture name.")
  String arch;

  @Option(names = "--opt", paramLabel = "KEY=VALUE", description = "An architecture option (repeatable), e.g. num_block=6.")
  List<String> opts = new ArrayList<>();

  @Option(names = "--list", description = "List the registered architectures.")
  boolean list;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write {\"arch\": ..., \"params\": N} as JSON.")
  Path json;

  private int[] inputHw;

  @Option(names = "--input-size", paramLabel = "HxW",
      description = "Input height x width in pixels for the output shapes, e.g. 64x48.")
  void setInputSize(String value) {
    String[] hw = value.toLowerCase(Locale.ROOT).split("x");
    try {
      inputHw = new int[] {Integer.parseInt(hw[0].trim()), Integer.parseInt(hw[1].trim())};
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      inputHw = null;
    }
    if (hw.length != 2 || inputHw == null || inputHw[0] < 1 || inputHw[1] < 1) {
      throw new ParameterException(spec.commandLine(),
          "Invalid value for option '--input-size': '" + value + "' (expected HxW, e.g. 64x48)");
    }
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (list) {
      for (Architecture<?> a : Architectures.all()) {
        out.printf(Locale.ROOT, "%-10s %s%n", a.name(), a.description());
      }
      return 0;
    }
    if (arch == null) {
      throw new ParameterException(spec.commandLine(), "give an architecture name or --list");
    }
    Architecture<?> a = Architectures.get(arch);
    Record options = a.options(ArchOptionsParser.parse(opts), "--opt");
    ComputationGraphConfiguration conf = configuration(a, options);
    Object channels = optionMap(a, options).get("num_in_ch");
    int side = options instanceof DiscriminatorOptions d ? d.patchSize() : DEFAULT_INPUT_PX;
    if (options instanceof DiscriminatorOptions && inputHw != null && (inputHw[0] != side || inputHw[1] != side)) {
      throw new BadInputException(arch + " takes " + side + "x" + side + " inputs (its dense layers fix the size; set "
          + "its input_size option with --opt), not " + inputHw[0] + "x" + inputHw[1]);
    }
    InputType input = InputType.convolutional(inputHw == null ? side : inputHw[0], inputHw == null ? side : inputHw[1],
        channels instanceof Number n ? n.longValue() : 3);
    Map<String, InputType> shapes;
    try {
      shapes = conf.getLayerActivationTypes(input);
    } catch (RuntimeException e) {
      throw new BadInputException(arch + " cannot take a " + shape(input) + " input (" + e.getMessage() + ")");
    }
    ComputationGraph graph = new ComputationGraph(conf);
    graph.init();
    out.printf(Locale.ROOT, "%s%s, input %s (C x H x W)%n", arch, opts.isEmpty() ? "" : " " + String.join(" ", opts),
        shape(input));
    out.printf(Locale.ROOT, "%-28s %-20s %-20s %12s%n", "layer", "kind", "output (C x H x W)", "parameters");
    for (ParameterCount.LayerInfo l : ParameterCount.layers(graph)) {
      out.printf(Locale.ROOT, "%-28s %-20s %-20s %,12d%n", l.name(), l.kind(), shape(shapes.get(l.name())), l.params());
    }
    long total = ParameterCount.trainable(graph);
    out.printf(Locale.ROOT, "%s: %,d parameters%n", arch, total);
    if (json != null) {
      JsonOutput.write(json, new Info(arch, total));
    }
    return 0;
  }

  @SuppressWarnings("unchecked")
  private static <O extends Record> ComputationGraphConfiguration configuration(Architecture<O> a, Record options) {
    return a.configuration((O) options);
  }

  @SuppressWarnings("unchecked")
  private static <O extends Record> Map<String, Object> optionMap(Architecture<O> a, Record options) {
    return a.optionMap((O) options);
  }

  /** "C x H x W" of a convolutional activation, "N" of a dense one. */
  private static String shape(InputType type) {
    long[] dims = type.getShape(false);
    return String.join(" x ", Arrays.stream(dims).mapToObj(Long::toString).toList());
  }
}
