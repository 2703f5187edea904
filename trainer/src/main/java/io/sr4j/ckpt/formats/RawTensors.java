package io.sr4j.ckpt.formats;

import io.sr4j.data.BadInputException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Strided element addressing (offsets and strides in elements): the C-order walk over any strided layout, and
 * decoding raw element bytes into a C-order {@link Tensor}.
 */
final class RawTensors {
  /** The longest Java array, which bounds both the bytes of one storage and the elements of one tensor. */
  static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

  private RawTensors() {}

  /** The number of elements of {@code shape}, Long.MAX_VALUE when that overflows, 0 when a size is negative. */
  static long saturatedCount(long[] shape) {
    long count = 1;
    for (long dim : shape) {
      if (dim < 0) {
        return 0;
      }
      if (dim != 0 && count > Long.MAX_VALUE / dim) {
        return Long.MAX_VALUE;
      }
      count *= dim;
    }
    return count;
  }

  /** Strides (in elements) of a C-contiguous tensor of {@code shape}. */
  static long[] contiguousStrides(long[] shape) {
    long[] strides = new long[shape.length];
    long step = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      strides[d] = step;
      step *= shape[d];
    }
    return strides;
  }

  /**
   * Reads the elements of a strided view: element {@code (i0, i1, ...)} is at element index
   * {@code offset + i0*strides[0] + i1*strides[1] + ...} of {@code buf}, whose byte order must already be set.
   *
   * @param what names the file and the tensor, for messages
   * @throws BadInputException if the view reaches outside {@code buf} or is too large for a Java array
   */
  static Tensor decode(String what, ElementType type, ByteBuffer buf, long offset, long[] shape, long[] strides) {
    long available = buf.capacity() / type.bytes();
    long count = 1;
    long last = offset;
    try {
      for (int d = 0; d < shape.length; d++) {
        if (shape[d] < 0 || strides[d] < 0) {
          throw new BadInputException(what + ": expected non-negative sizes and strides, got size "
              + Arrays.toString(shape) + " and stride " + Arrays.toString(strides));
        }
        count = Math.multiplyExact(count, shape[d]);
        if (shape[d] > 0) {
          last = Math.addExact(last, Math.multiplyExact(shape[d] - 1, strides[d]));
        }
      }
    } catch (ArithmeticException e) {
      throw new BadInputException(what + ": size " + Arrays.toString(shape) + " and stride "
          + Arrays.toString(strides) + " overflow 64 bits (corrupt file?)", e);
    }
    if (count > MAX_ARRAY_LENGTH) {
      throw new BadInputException(what + " has " + count + " elements; at most " + MAX_ARRAY_LENGTH
          + " fit in one tensor here");
    }
    // decoded as floats, plus exact longs for integer types
    ModelLimits.checkAllocation(what, count * (Float.BYTES + (type.isInteger() ? Long.BYTES : 0)),
        "has " + count + " elements");
    if (count > 0 && (offset < 0 || last >= available)) {
      throw new BadInputException(what + ": size " + Arrays.toString(shape) + ", stride "
          + Arrays.toString(strides) + " and offset " + offset + " reach element " + last
          + ", but its storage holds " + available + " " + type.label() + " elements (corrupt file?)");
    }
    int n = (int) count;
    float[] data = new float[n];
    long[] integers = type.isInteger() ? new long[n] : null;
    walk(shape, strides, offset, n, (position, element) -> {
      int at = (int) (element * type.bytes());
      data[position] = type.floatAt(buf, at);
      if (integers != null) {
        integers[position] = type.longAt(buf, at);
      }
    });
    return new Tensor(null, shape.clone(), type.label(), data, integers);
  }

  /** Receives one element of a strided view. */
  interface ElementVisitor {
    /**
     * @param position the element's position in C order (0 to count - 1)
     * @param element its index in the underlying storage
     */
    void visit(int position, long element);
  }

  /**
   * Visits the {@code count} elements of a view of {@code shape} in C order (last index fastest), giving each
   * one's storage index {@code offset + i0*strides[0] + i1*strides[1] + ...}. Column-major data (MATLAB) is
   * the view with strides {@code 1, d0, d0*d1, ...}.
   */
  static void walk(long[] shape, long[] strides, long offset, int count, ElementVisitor visitor) {
    long[] index = new long[shape.length];
    long element = offset;
    for (int position = 0; position < count; position++) {
      visitor.visit(position, element);
      for (int d = shape.length - 1; d >= 0; d--) {
        index[d]++;
        element += strides[d];
        if (index[d] < shape[d]) {
          break;
        }
        element -= strides[d] * shape[d];
        index[d] = 0;
      }
    }
  }
}
