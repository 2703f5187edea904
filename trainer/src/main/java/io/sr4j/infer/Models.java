package io.sr4j.infer;

import io.sr4j.data.BadInputException;
import io.sr4j.data.resize.ResizeKernel;
import java.util.Arrays;

/** Opens the model a user names on the command line. */
public final class Models {
  private Models() {}

  /** A classical interpolator by name (bicubic, bilinear, nearest). */
  public static Upscaler open(String spec, int scale) {
    for (ResizeKernel k : ResizeKernel.values()) {
      if (k.configName().equalsIgnoreCase(spec)) {
        return new Interpolation(k, scale);
      }
    }
    throw new BadInputException("unknown model '" + spec + "', expected one of "
        + Arrays.stream(ResizeKernel.values()).map(ResizeKernel::configName).toList());
  }
}
