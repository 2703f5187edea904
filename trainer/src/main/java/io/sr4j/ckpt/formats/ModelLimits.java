package io.sr4j.ckpt.formats;

import io.sr4j.data.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * How much memory reading one model file may take, whatever the file claims: every zip entry is inflated to at
 * most {@link #maxEntryBytes()} bytes (checked against its declared size before inflating, and again while
 * inflating, since a declared size can lie), and every array a declared length or shape would allocate (an ND4J
 * array, a decoded tensor, an HDF5 dataset, a MAT variable, an ONNX initializer) must fit that bound too.
 *
 * <p>The bound is 512 MiB by default, far below the Java heap the {@code sr} launcher gives (a quarter of the RAM)
 * and above the largest tensor of any weights file the project reads (VGG-19's first fully connected layer,
 * 392 MiB). Raise it with {@code -Dsr4j.maxModelEntryMb=N} (for example {@code SR_JAVA_OPTS=-Dsr4j.maxModelEntryMb=2048}).
 */
public final class ModelLimits {
  /** System property holding the bound in MiB. */
  public static final String PROPERTY = "sr4j.maxModelEntryMb";
  public static final long DEFAULT_MAX_ENTRY_MB = 512;

  private ModelLimits() {}

  /** The bound in bytes, from {@link #PROPERTY} or the default. */
  public static long maxEntryBytes() {
    String value = System.getProperty(PROPERTY);
    long mb = DEFAULT_MAX_ENTRY_MB;
    if (value != null) {
      try {
        mb = Long.parseLong(value.trim());
      } catch (NumberFormatException e) {
        mb = -1;
      }
      if (mb < 1 || mb > (Long.MAX_VALUE >> 20)) {
        throw new BadInputException("-D" + PROPERTY + "=" + value + ": expected a positive number of MiB");
      }
    }
    return mb << 20;
  }

  /**
   * Fails unless {@code bytes} (what a declared size would make the reader allocate) is within the bound.
   *
   * @param where the file and the part of it, such as {@code "model.zip: entry coefficients.bin"}
   * @param what what the bytes are, such as {@code "declares 2^31 float elements"}
   */
  public static void checkAllocation(String where, long bytes, String what) {
    long max = maxEntryBytes();
    if (bytes < 0 || bytes > max) {
      throw new BadInputException(where + " " + what + " (" + mib(bytes) + "), more than the limit of " + mib(max)
          + " per model entry (raise it with -D" + PROPERTY + " if the file is trusted)");
    }
  }

  /**
   * The inflated bytes of {@code entry}: its declared size must be within the bound, and inflating stops with an
   * error as soon as it yields more than the declared size.
   */
  public static byte[] readEntry(String file, ZipFile zip, ZipEntry entry) throws IOException {
    String where = file + ": entry " + entry.getName();
    long declared = entry.getSize();
    if (declared >= 0) {
      checkAllocation(where, declared, "declares " + declared + " bytes");
    }
    try (InputStream in = zip.getInputStream(entry)) {
      return readBounded(where, in, declared);
    }
  }

  /**
   * Reads {@code in} to its end, at most {@code declared} bytes (when it is not negative) and never more than the
   * bound: a stream that yields more (a zip bomb behind a small declared size) fails before the excess is held.
   */
  public static byte[] readBounded(String where, InputStream in, long declared) throws IOException {
    long max = maxEntryBytes();
    long limit = declared >= 0 ? Math.min(declared, max) : max;
    byte[] data = in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 16));
    if (in.read() >= 0) {
      throw new BadInputException(where + (declared >= 0 && declared <= max
          ? " inflates to more than its declared " + declared + " bytes (corrupt or crafted file)"
          : " inflates to more than " + mib(max) + ", the limit per model entry (raise it with -D" + PROPERTY
              + " if the file is trusted)"));
    }
    if (declared >= 0 && data.length != declared) {
      throw new BadInputException(where + " holds " + data.length + " bytes but declares " + declared
          + " (truncated or corrupt file?)");
    }
    return data;
  }

  /** {@code count * elementBytes}, or Long.MAX_VALUE when that overflows (for {@link #checkAllocation}). */
  public static long bytes(long count, long elementBytes) {
    try {
      return Math.multiplyExact(count, elementBytes);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** A byte count for messages: "3.0 GiB", "512 MiB", "1.2 KiB". */
  public static String mib(long bytes) {
    if (bytes < 0) {
      return bytes + " bytes";
    }
    if (bytes >= 1L << 30) {
      return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
    if (bytes >= 1L << 20) {
      return String.format(Locale.ROOT, "%.0f MiB", bytes / (double) (1L << 20));
    }
    return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
  }
}
