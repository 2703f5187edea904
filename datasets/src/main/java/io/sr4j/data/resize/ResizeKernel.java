package io.sr4j.data.resize;

import io.sr4j.data.BadInputException;
import java.util.Arrays;
import java.util.Locale;

/** Interpolation kernels of MATLAB's {@code imresize}, with their support widths in input pixels. */
public enum ResizeKernel {
  /** Keys cubic convolution, a = -0.5. */
  BICUBIC(4.0) {
    @Override
    double at(double x) {
      double ax = Math.abs(x);
      double ax2 = ax * ax;
      double ax3 = ax2 * ax;
      if (ax <= 1) {
        return 1.5 * ax3 - 2.5 * ax2 + 1;
      }
      if (ax <= 2) {
        return -0.5 * ax3 + 2.5 * ax2 - 4 * ax + 2;
      }
      return 0;
    }
  },
  /** Triangle kernel. */
  BILINEAR(2.0) {
    @Override
    double at(double x) {
      if (x >= -1 && x < 0) {
        return x + 1;
      }
      if (x >= 0 && x <= 1) {
        return 1 - x;
      }
      return 0;
    }
  },
  /** Box kernel on [-0.5, 0.5). MATLAB never antialiases with it. */
  NEAREST(1.0) {
    @Override
    double at(double x) {
      return x >= -0.5 && x < 0.5 ? 1 : 0;
    }
  };

  /** Support of the kernel in input pixels at scale 1. */
  final double width;

  ResizeKernel(double width) {
    this.width = width;
  }

  abstract double at(double x);

  /** MATLAB's default: antialias when shrinking, except for nearest. */
  public boolean antialiasWhenShrinking() {
    return this != NEAREST;
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kernel called {@code name} (bicubic, bilinear or nearest), or an error that lists them. */
  public static ResizeKernel parse(String name) {
    for (ResizeKernel k : values()) {
      if (k.configName().equals(name.toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new BadInputException("unknown interpolation '" + name + "', expected one of "
        + Arrays.stream(values()).map(ResizeKernel::configName).toList());
  }
}
