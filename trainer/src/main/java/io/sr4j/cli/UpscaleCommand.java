package io.sr4j.cli;

import io.sr4j.data.BadInputException;
import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.infer.Models;
import io.sr4j.infer.Upscaler;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "upscale",
    mixinStandardHelpOptions = true,
    description = {
      "Upscale an image or every image of a folder.",
      "",
      "Gray, RGB and RGBA (alpha upscaled separately) work;",
      "16-bit PNG input gives 16-bit PNG output. A folder is written as <name>.png files."
    })
final class UpscaleCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ModelOptions model;

  @Mixin ScaleOption scale;

  @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE|DIR", description = "Image or folder of images.")
  Path input;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE|DIR",
      description = "Output image (format from its extension) or folder.")
  Path output;

  @Override
  public Integer call() {
    Upscaler upscaler = Models.open(model.spec(), scale.get());
    PrintWriter out = spec.commandLine().getOut();
    if (Files.isDirectory(input)) {
      if (Files.isRegularFile(output)) {
        throw new BadInputException(output + ": is a file, but the input " + input + " is a folder; give an output folder");
      }
      List<Path> files = ImageFiles.list(input);
      for (Path f : files) {
        Path target = output.resolve(stem(f) + ".png");
        upscaleOne(upscaler, f, target);
        out.println(f + " -> " + target);
        out.flush();
      }
    } else {
      upscaleOne(upscaler, input, output);
      out.println(input + " -> " + output);
    }
    return 0;
  }

  private static void upscaleOne(Upscaler upscaler, Path in, Path out) {
    Image lr = ImageFiles.read(in);
    ImageFiles.write(upscaler.upscale(lr), out);
  }

  private static String stem(Path f) {
    String n = f.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot < 0 ? n : n.substring(0, dot);
  }
}
