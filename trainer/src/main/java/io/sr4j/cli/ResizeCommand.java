package io.sr4j.cli;

import io.sr4j.data.BadInputException;
import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.data.resize.Imresize;
import io.sr4j.data.resize.ResizeKernel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "resize",
    mixinStandardHelpOptions = true,
    description = {
      "Resize an image exactly like MATLAB's imresize.",
      "",
      "Same result as imresize(img, F, method) on an image read with imread:",
      "uint8 (or uint16) arithmetic with rounding after each pass, antialiasing when shrinking,",
      "output size ceil(F * size)."
    })
final class ResizeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  private double factor;

  @Option(names = {"-s", "--scale"}, required = true, paramLabel = "F",
      description = "Scale factor, e.g. 0.25 to shrink to a quarter or 3 to enlarge.")
  void setScale(double value) {
    if (!(value > 0) || Double.isInfinite(value) || value > 64) {
      throw new ParameterException(spec.commandLine(),
          "Invalid value for option '--scale': " + value + " (expected a factor > 0 and <= 64)");
    }
    factor = value;
  }

  @Option(names = {"-k", "--kernel"}, defaultValue = "bicubic", paramLabel = "NAME",
      description = "bicubic, bilinear or nearest. Default: ${DEFAULT-VALUE}.")
  String kernel;

  @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE",
      description = "Image to resize (PNG, JPEG, BMP; gray, RGB or RGBA, 8 or 16 bits).")
  Path input;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
      description = "Output image; its extension picks the format (png, jpg, bmp); PNG keeps the bit depth.")
  Path output;

  @Mixin MaxPixelsOption maxPixels;

  @Override
  public Integer call() {
    ResizeKernel k = ResizeKernel.parse(kernel);
    Image in = ImageFiles.read(input, maxPixels.get());
    long outW = (long) Math.ceil(in.width() * factor);
    long outH = (long) Math.ceil(in.height() * factor);
    if (outW * outH > Integer.MAX_VALUE - 8) {
      throw new BadInputException(input + ": resized x" + factor + " it would be " + outW + "x" + outH + " = "
          + outW * outH + " pixels, more than one image held in memory can have (" + (Integer.MAX_VALUE - 8) + ")");
    }
    Image out = Imresize.resize(in, factor, k);
    ImageFiles.write(out, output);
    spec.commandLine().getOut().println(input + " (" + in + ") -> " + output + " (" + out + ")");
    return 0;
  }
}
