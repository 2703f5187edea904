package io.sr4j.data.metrics;

import io.sr4j.data.BadInputException;
import java.util.Locale;

/** Which samples a fidelity metric compares. */
public enum MetricChannel {
  /** BT.601 luma of the 8-bit RGB values (what SRCNN, SRGAN and ESRGAN papers report). */
  Y,
  /** All three 8-bit RGB channels (what the BasicSR and MMagic model zoos report). */
  RGB;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static MetricChannel parse(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "y" -> Y;
      case "rgb" -> RGB;
      default -> throw new BadInputException("unknown metric channel '" + name + "', expected y or rgb");
    };
  }
}
