package io.sr4j.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The integer {@code --scale} of SR commands, checked while parsing so a bad value is a usage error. Optional: a
 * model file that says its scale needs none (an explicit value must agree with it); bicubic and the other
 * interpolators, and files that cannot say it, need it.
 */
public final class ScaleOption {
  static final int[] SUPPORTED = {2, 3, 4};

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  private Integer scale;

  @Option(names = {"-s", "--scale"}, paramLabel = "N",
      description = "Upscaling factor: 2, 3 or 4. Default: what the model file says (needed for bicubic & co).")
  void setScale(int value) {
    for (int s : SUPPORTED) {
      if (s == value) {
        scale = value;
        return;
      }
    }
    throw new ParameterException(spec.commandLine(),
        "Invalid value for option '--scale': " + value + " (supported scales are 2, 3 and 4)");
  }

  /** The given scale, or null. */
  public Integer get() {
    return scale;
  }
}
