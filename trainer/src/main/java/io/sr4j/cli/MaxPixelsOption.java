package io.sr4j.cli;

import io.sr4j.data.image.PixelLimit;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --max-pixels}: the largest image a command decodes (see {@link PixelLimit}), checked while parsing. */
final class MaxPixelsOption {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  private Long maxPixels;

  @Option(names = "--max-pixels", paramLabel = "N",
      description = "Refuse images of more than N pixels (width x height), checked from the file header before "
          + "decoding. Default: " + PixelLimit.DEFAULT_MAX_PIXELS + " (or -D" + PixelLimit.PROPERTY + ").")
  void setMaxPixels(long value) {
    if (value < 1) {
      throw new ParameterException(spec.commandLine(),
          "Invalid value for option '--max-pixels': " + value + " (expected a positive number of pixels)");
    }
    maxPixels = value;
  }

  long get() {
    return maxPixels != null ? maxPixels : PixelLimit.defaultMaxPixels();
  }
}
