package io.sr4j.data.metrics;

import io.sr4j.data.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reader for NumPy {@code .npy} arrays and {@code .npz} archives (a zip of {@code .npy} files, stored or deflated).
 *
 * <p>Only little-endian float64 ({@code descr '<f8'}) is supported, in C or Fortran order, with format versions
 * 1.0 and 2.0; anything else is rejected with a {@link BadInputException} naming the source.
 */
final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /** An n-dimensional float64 array; {@code values} are in row-major (C) order whatever the file's order. */
  record Array(int[] shape, double[] values) {
    /** The array as {@code [rows][cols]}; {@code what} names it in the error when it is not 2-D. */
    double[][] matrix(String what) {
      if (shape.length != 2) {
        throw new BadInputException(what + ": expected a 2-D array, got shape " + Arrays.toString(shape));
      }
      double[][] m = new double[shape[0]][];
      for (int r = 0; r < shape[0]; r++) {
        m[r] = Arrays.copyOfRange(values, r * shape[1], (r + 1) * shape[1]);
      }
      return m;
    }
  }

  /** The arrays of an {@code .npz} archive keyed by entry name without {@code .npy}, in archive order. */
  static Map<String, Array> readNpz(InputStream in, String source) throws IOException {
    Map<String, Array> arrays = new LinkedHashMap<>();
    try (ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        if (e.isDirectory()) {
          continue;
        }
        String name = e.getName();
        if (!name.endsWith(".npy")) {
          throw new BadInputException(source + ": entry '" + name + "' is not a .npy file (expected a NumPy .npz archive)");
        }
        arrays.put(name.substring(0, name.length() - 4), readNpy(zip.readAllBytes(), source + "!" + name));
      }
    }
    if (arrays.isEmpty()) {
      throw new BadInputException(source + ": no .npy entries found (expected a NumPy .npz zip archive)");
    }
    return arrays;
  }

  /** Parses one {@code .npy} file held in {@code bytes}; {@code source} names it in error messages. */
  static Array readNpy(byte[] bytes, String source) {
    if (bytes.length < MAGIC.length + 2 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw new BadInputException(source + ": not a .npy file (expected the magic bytes \\x93NUMPY)");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int major = bytes[6] & 0xff;
    int minor = bytes[7] & 0xff;
    long headerLength;
    int headerStart;
    if (major == 1 && minor == 0 && bytes.length >= 10) {
      headerLength = buf.getShort(8) & 0xffff;
      headerStart = 10;
    } else if (major == 2 && minor == 0 && bytes.length >= 12) {
      headerLength = buf.getInt(8) & 0xffffffffL;
      headerStart = 12;
    } else {
      throw new BadInputException(
          source + ": .npy format version " + major + "." + minor + " is not supported (expected 1.0 or 2.0)");
    }
    if (headerStart + headerLength > bytes.length) {
      throw new BadInputException(source + ": truncated .npy header (" + headerLength + " bytes announced, "
          + (bytes.length - headerStart) + " present)");
    }
    String header = new String(bytes, headerStart, (int) headerLength, StandardCharsets.ISO_8859_1).trim();
    String descr = field(DESCR, header, "descr", source);
    if (!descr.equals("<f8")) {
      throw new BadInputException(
          source + ": dtype '" + descr + "' is not supported (expected little-endian float64, '<f8')");
    }
    boolean fortranOrder = field(FORTRAN, header, "fortran_order", source).equals("True");
    int[] shape = parseShape(field(SHAPE, header, "shape", source), source);

    long count = 1;
    for (int d : shape) {
      count *= d;
    }
    int dataStart = (int) (headerStart + headerLength);
    long dataBytes = bytes.length - dataStart;
    if (count > Integer.MAX_VALUE || count * Double.BYTES != dataBytes) {
      throw new BadInputException(source + ": shape " + Arrays.toString(shape) + " needs " + count * Double.BYTES
          + " bytes of float64 data but the file holds " + dataBytes);
    }
    double[] stored = new double[(int) count];
    buf.position(dataStart);
    buf.asDoubleBuffer().get(stored);
    return new Array(shape, fortranOrder ? fortranToRowMajor(stored, shape) : stored);
  }

  private static String field(Pattern pattern, String header, String key, String source) {
    Matcher m = pattern.matcher(header);
    if (!header.startsWith("{") || !m.find()) {
      throw new BadInputException(source + ": .npy header has no readable '" + key + "' entry: " + header);
    }
    return m.group(1);
  }

  /** The dimensions of a Python tuple body such as {@code "1, 36"}, {@code "5,"} or {@code ""} (a scalar). */
  private static int[] parseShape(String tuple, String source) {
    String[] parts = tuple.split(",");
    int[] dims = new int[parts.length];
    int n = 0;
    for (String p : parts) {
      String t = p.trim();
      if (t.isEmpty()) {
        continue;
      }
      try {
        dims[n] = Integer.parseInt(t);
      } catch (NumberFormatException e) {
        throw new BadInputException(source + ": shape (" + tuple + ") is not a tuple of integers", e);
      }
      if (dims[n] < 0) {
        throw new BadInputException(source + ": shape (" + tuple + ") has a negative dimension");
      }
      n++;
    }
    return Arrays.copyOf(dims, n);
  }

  /** Reorders values stored with the first index fastest (Fortran) into row-major order. */
  private static double[] fortranToRowMajor(double[] stored, int[] shape) {
    int rank = shape.length;
    double[] out = new double[stored.length];
    int[] index = new int[rank];
    for (int c = 0; c < out.length; c++) {
      int f = 0;
      for (int d = rank - 1; d >= 0; d--) {
        f = f * shape[d] + index[d];
      }
      out[c] = stored[f];
      for (int d = rank - 1; d >= 0 && ++index[d] == shape[d]; d--) {
        index[d] = 0;
      }
    }
    return out;
  }
}
