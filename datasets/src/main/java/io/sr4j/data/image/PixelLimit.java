package io.sr4j.data.image;

import io.sr4j.data.BadInputException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The largest image (width x height, in pixels) that is decoded, checked from the file's header before any pixel
 * is: a PNG of a few hundred kilobytes can declare 20000 x 20000 pixels and would take gigabytes once decoded.
 *
 * <p>The default, {@value #DEFAULT_MAX_PIXELS} pixels (a 150-megapixel photo, 12247 x 12247), can be changed for a
 * command with {@code --max-pixels N}, or for every image the process reads (training data included) with
 * {@code -Dsr4j.maxPixels=N} (for example {@code SR_JAVA_OPTS=-Dsr4j.maxPixels=400000000 ./sr train ...}).
 */
public final class PixelLimit {
  public static final long DEFAULT_MAX_PIXELS = 150_000_000L;
  /** System property overriding the default. */
  public static final String PROPERTY = "sr4j.maxPixels";

  private PixelLimit() {}

  /** {@link #PROPERTY} when set, else {@link #DEFAULT_MAX_PIXELS}. */
  public static long defaultMaxPixels() {
    String value = System.getProperty(PROPERTY);
    if (value == null) {
      return DEFAULT_MAX_PIXELS;
    }
    try {
      long n = Long.parseLong(value.trim().replace("_", ""));
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadInputException("-D" + PROPERTY + "=" + value + ": expected a positive number of pixels");
  }

  /** Fails unless a {@code width x height} image is at most {@code maxPixels} pixels, naming the file. */
  public static void check(Path file, long width, long height, long maxPixels) {
    long pixels = width * height;
    if (pixels > maxPixels) {
      throw new BadInputException(String.format(Locale.ROOT, "%s: the image is %dx%d = %,d pixels, more than the "
          + "limit of %,d (raise it with --max-pixels, or -D%s for training data, if the file is trusted)",
          file, width, height, pixels, maxPixels, PROPERTY));
    }
  }
}
