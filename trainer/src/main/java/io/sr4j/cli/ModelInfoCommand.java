package io.sr4j.cli;

import io.sr4j.arch.Architecture;
import io.sr4j.arch.Architectures;
import io.sr4j.arch.ParameterCount;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
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
      "Print an architecture's parameter count and layer summary.",
      "",
      "Counts are trainable parameters as PyTorch counts them (BatchNorm running statistics excluded)."
    })
final class ModelInfoCommand implements Callable<Integer> {
  /** The JSON written by --json. */
  record Info(String arch, long params) {}

  @Spec CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "ARCH", description = "A registered architecture name.")
  String arch;

  @Option(names = "--opt", paramLabel = "KEY=VALUE", description = "An architecture option (repeatable), e.g. num_block=6.")
  List<String> opts = new ArrayList<>();

  @Option(names = "--list", description = "List the registered architectures.")
  boolean list;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write {\"arch\": ..., \"params\": N} as JSON.")
  Path json;

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
    ComputationGraph graph = new ComputationGraph(a.configuration(ArchOptionsParser.parse(opts), "--opt"));
    graph.init();
    for (ParameterCount.LayerInfo l : ParameterCount.layers(graph)) {
      out.printf(Locale.ROOT, "%-28s %-20s %,12d%n", l.name(), l.kind(), l.params());
    }
    long total = ParameterCount.trainable(graph);
    out.printf(Locale.ROOT, "%s: %,d parameters%n", arch, total);
    if (json != null) {
      JsonOutput.write(json, new Info(arch, total));
    }
    return 0;
  }
}
