package io.sr4j.cli;

import io.sr4j.data.pairs.LrSynthesis;
import io.sr4j.eval.ModelComparison;
import io.sr4j.eval.Scoring;
import io.sr4j.infer.Models;
import io.sr4j.infer.Upscaler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Compare models side by side: a PNG grid of the same centre crop of each image, HR first, then every --model",
      "(LR made by MATLAB bicubic from the 8-bit RGB HR image). Measure them with 'sr evaluate'."
    })
final class CompareCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"-m", "--model"}, required = true, paramLabel = "[LABEL=]MODEL",
      description = "A column (repeatable): bicubic, bilinear, nearest or a model file, optionally labelled.")
  List<String> models = new ArrayList<>();

  @Option(names = "--hr", required = true, paramLabel = "DIR|SET", description = "Folder of HR images, or Set5, Set14, T91.")
  String hr;

  @Mixin ScaleOption scale;

  @Option(names = "--images", split = ",", paramLabel = "NAME[,NAME...]",
      description = "Images to show (file names without extension), in this order. Default: the first --count.")
  List<String> images = new ArrayList<>();

  @Option(names = "--count", defaultValue = "3", paramLabel = "N", description = "Images shown without --images. Default: ${DEFAULT-VALUE}.")
  int count;

  @Option(names = "--crop", defaultValue = "96", paramLabel = "PX", description = "Side of the crops. Default: ${DEFAULT-VALUE}.")
  int crop;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The grid (PNG).")
  Path output;

  @Override
  public Integer call() {
    if (count < 1 || crop < 8) {
      throw new ParameterException(spec.commandLine(), "need --count >= 1 and --crop >= 8, got " + count + " and " + crop);
    }
    List<String> labels = new ArrayList<>();
    List<Upscaler> upscalers = new ArrayList<>();
    for (String m : models) {
      int eq = m.indexOf('=');
      Upscaler u = Models.open(Models.ModelSpec.of(eq < 0 ? m : m.substring(eq + 1)), scale.get());
      labels.add(eq < 0 ? u.name() : m.substring(0, eq));
      upscalers.add(u);
    }
    int s = upscalers.get(0).scale();
    ModelComparison.writeGrid(output, Scoring.pairedSet(hr, null, s, LrSynthesis.RGB8), labels, upscalers, images,
        count, crop);
    spec.commandLine().getOut().println("wrote " + output + " (HR, " + String.join(", ", labels) + ")");
    return 0;
  }
}
