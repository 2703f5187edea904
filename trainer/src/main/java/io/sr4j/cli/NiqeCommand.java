package io.sr4j.cli;

import io.sr4j.data.BadInputException;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.data.metrics.Niqe;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "niqe",
    mixinStandardHelpOptions = true,
    description = {
      "Score images with NIQE (no-reference; lower looks more natural).",
      "",
      "Computed on the BT.601 Y channel like BasicSR's calculate_niqe and MATLAB's niqe, with the pristine",
      "model of the MATLAB release. Folders are expanded to the images they contain."
    })
final class NiqeCommand implements Callable<Integer> {
  /** One scored image. */
  record Score(String name, double niqe) {}

  /** The JSON written by --json. */
  record Report(int crop, List<Score> images, double mean) {}

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "Images or folders of images.")
  List<Path> inputs;

  @Option(names = "--crop", defaultValue = "0", paramLabel = "N", description = "Pixels cut from every side. Default: 0.")
  int crop;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the scores as JSON.")
  Path json;

  @Mixin MaxPixelsOption maxPixels;

  @Override
  public Integer call() {
    if (crop < 0) {
      throw new BadInputException("--crop must be >= 0, got " + crop);
    }
    List<Path> files = new ArrayList<>();
    for (Path p : inputs) {
      files.addAll(Files.isDirectory(p) ? ImageFiles.list(p) : List.of(p));
    }
    Niqe niqe = Niqe.standard();
    PrintWriter out = spec.commandLine().getOut();
    List<Score> scores = new ArrayList<>();
    double sum = 0;
    for (Path f : files) {
      double value;
      try {
        value = niqe.score(ImageFiles.read(f, maxPixels.get()), crop);
      } catch (IllegalArgumentException e) {
        throw new BadInputException(f + ": " + e.getMessage(), e);
      }
      scores.add(new Score(f.getFileName().toString(), value));
      sum += value;
      out.printf(Locale.ROOT, "%-32s %8.4f%n", f, value);
      out.flush();
    }
    double mean = sum / scores.size();
    if (scores.size() > 1) {
      out.printf(Locale.ROOT, "%-32s %8.4f%n", "mean", mean);
    }
    if (json != null) {
      JsonOutput.write(json, new Report(crop, scores, mean));
      out.println("wrote " + json);
    }
    return 0;
  }
}
