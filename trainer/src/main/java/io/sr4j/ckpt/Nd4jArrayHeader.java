package io.sr4j.ckpt;

import io.sr4j.ckpt.formats.ModelLimits;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Checks the header of an array in ND4J's binary format ({@code Nd4j.write}, what {@code coefficients.bin} and
 * {@code updaterState.bin} hold) against the bytes that are really there, before {@code Nd4j.read} allocates
 * what the header declares (a declared length of 2^62 crashes the JVM in native code; 2^31 takes 8 GB).
 *
 * <p>The format is two buffers in a row, each {@code writeUTF(allocation mode)}, the element count (an int for
 * the old modes HEAP, JAVACPP and DIRECT, else a long), {@code writeUTF(data type)} and the big-endian elements:
 * first the shape information (rank, shape, strides, extras, element-wise stride, order: {@code 2 * rank + 4}
 * integers), then the data.
 */
final class Nd4jArrayHeader {
  private static final int MAX_RANK = 32;

  private Nd4jArrayHeader() {}

  /**
   * Fails with an {@link IOException} saying what is wrong unless {@code bytes} is exactly one well-formed array
   * whose data fits {@link ModelLimits#maxEntryBytes()}; returns its shape.
   */
  static long[] check(byte[] bytes) throws IOException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      Buffer shapeInfo = buffer(in, "shape information");
      if (!shapeInfo.type().isIntType() || shapeInfo.length() < 4 || shapeInfo.length() > 2 * MAX_RANK + 4) {
        throw new IOException("shape information of " + shapeInfo.length() + " " + shapeInfo.type()
            + " elements; expected 4 to " + (2 * MAX_RANK + 4) + " integers");
      }
      long[] info = new long[(int) shapeInfo.length()];
      need(in, shapeInfo.bytes(), "the shape information");
      for (int i = 0; i < info.length; i++) {
        info[i] = shapeInfo.type() == DataType.LONG ? in.readLong() : in.readInt();
      }
      long rank = info[0];
      if (rank < 0 || rank > MAX_RANK || info.length != 2 * rank + 4) {
        throw new IOException("rank " + rank + " with " + info.length + " shape elements; expected rank 0 to "
            + MAX_RANK + " and 2 * rank + 4 elements");
      }
      long[] shape = Arrays.copyOfRange(info, 1, 1 + (int) rank);
      long count = 1;
      for (long dim : shape) {
        if (dim < 0) {
          throw new IOException("negative dimension in shape " + Arrays.toString(shape));
        }
        count = multiplySaturated(count, dim);
      }
      Buffer data = buffer(in, "data");
      if (data.length() != count) {
        throw new IOException("shape " + Arrays.toString(shape) + " has " + count + " elements but the data "
            + "declares " + data.length());
      }
      long maxBytes = ModelLimits.maxEntryBytes();
      if (data.bytes() > maxBytes) {
        throw new IOException("declares " + data.length() + " " + data.type() + " elements ("
            + ModelLimits.mib(data.bytes()) + "), more than the limit of " + ModelLimits.mib(maxBytes)
            + " per model entry (raise it with -D" + ModelLimits.PROPERTY + " if the file is trusted)");
      }
      if (data.bytes() != in.available()) {
        throw new IOException("declares " + data.length() + " " + data.type() + " elements (" + data.bytes()
            + " bytes) but " + in.available() + " bytes follow (truncated or corrupt file?)");
      }
      return shape;
    }
  }

  private record Buffer(long length, DataType type) {
    long bytes() {
      return multiplySaturated(length, type.width());
    }
  }

  private static Buffer buffer(DataInputStream in, String what) throws IOException {
    DataBuffer.AllocationMode mode;
    try {
      mode = DataBuffer.AllocationMode.valueOf(readUtf(in, what));
    } catch (IllegalArgumentException e) {
      throw new IOException("unknown allocation mode in the " + what + " header; expected an array written by "
          + "Nd4j.write");
    }
    boolean oldMode = mode.ordinal() < DataBuffer.AllocationMode.LONG_SHAPE.ordinal();
    need(in, oldMode ? Integer.BYTES : Long.BYTES, "the " + what + " header");
    long length = oldMode ? in.readInt() : in.readLong();
    DataType type;
    try {
      type = DataType.valueOf(readUtf(in, what));
    } catch (IllegalArgumentException e) {
      throw new IOException("unknown data type in the " + what + " header; expected an array written by "
          + "Nd4j.write");
    }
    if (type == DataType.UTF8 || type == DataType.COMPRESSED || type == DataType.UNKNOWN || type.width() < 1) {
      throw new IOException(what + " of type " + type + "; expected numbers");
    }
    if (length < 0) {
      throw new IOException(what + " declares " + length + " elements");
    }
    return new Buffer(length, type);
  }

  private static String readUtf(DataInputStream in, String what) throws IOException {
    try {
      return in.readUTF();
    } catch (java.io.EOFException e) {
      throw new IOException("ends inside the " + what + " header (truncated or corrupt file?)", e);
    }
  }

  private static void need(DataInputStream in, long bytes, String what) throws IOException {
    if (in.available() < bytes) {
      throw new IOException("ends inside " + what + " (truncated or corrupt file?)");
    }
  }

  private static long multiplySaturated(long a, long b) {
    long high = Math.multiplyHigh(a, b);
    long low = a * b;
    return high != 0 || low < 0 ? Long.MAX_VALUE : low;
  }
}
