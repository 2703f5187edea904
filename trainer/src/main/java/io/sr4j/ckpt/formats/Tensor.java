package io.sr4j.ckpt.formats;

import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor read from a weights file, in a form independent of the file format.
 *
 * <p>{@code data} holds every element as a float in C (row-major) order: the last index of {@code shape}
 * varies fastest, whatever the layout in the file (PyTorch strides, MATLAB column-major). Floating-point
 * elements are rounded to float (float64) or widened exactly (float16, bfloat16). For integer and bool
 * tensors (for example BatchNorm's {@code num_batches_tracked}, int64) {@code integers} additionally holds
 * the exact values in the same order, since a float is exact only up to 2^24; it is null for floating-point
 * tensors. A shape of length 0 is a scalar with one element.
 *
 * <p>{@code dtype} is the element type the file stored, spelled as in PyTorch: {@code float64, float32,
 * float16, bfloat16, int64, int32, int16, int8, uint8, bool}, and for MAT files also {@code uint16, uint32,
 * uint64}. {@code name} is the key the tensor was stored under, or null when it has none.
 *
 * <p>The arrays are shared, not copied: treat them as read-only.
 */
public record Tensor(String name, long[] shape, String dtype, float[] data, long[] integers) {

  /** Checks that {@code shape} matches the number of elements. */
  public Tensor {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(dtype, "dtype");
    Objects.requireNonNull(data, "data");
    long count = 1;
    for (long dim : shape) {
      if (dim < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      count = Math.multiplyExact(count, dim);
    }
    if (count != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " has " + count + " elements, data has " + data.length);
    }
    if (integers != null && integers.length != data.length) {
      throw new IllegalArgumentException(
          "integers has " + integers.length + " elements, data has " + data.length);
    }
  }

  /** Number of elements. */
  public int numel() {
    return data.length;
  }

  /** Number of dimensions (0 for a scalar). */
  public int rank() {
    return shape.length;
  }

  /** The shape as ints, for APIs that take {@code int[]}. */
  public int[] intShape() {
    int[] dims = new int[shape.length];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = Math.toIntExact(shape[i]);
    }
    return dims;
  }

  /** True when the file stored integers or bools, whose exact values are in {@link #integers()}. */
  public boolean isInteger() {
    return integers != null;
  }

  /** The element at {@code index} (one entry per dimension; none for a scalar). */
  public float get(long... index) {
    return data[flatIndex(index)];
  }

  /** The exact element at {@code index} of an integer or bool tensor. */
  public long getLong(long... index) {
    if (integers == null) {
      throw new IllegalStateException(this + " does not hold integers");
    }
    return integers[flatIndex(index)];
  }

  /** The same tensor under another name. */
  public Tensor withName(String newName) {
    return new Tensor(newName, shape, dtype, data, integers);
  }

  private int flatIndex(long[] index) {
    if (index.length != shape.length) {
      throw new IllegalArgumentException(
          "index " + Arrays.toString(index) + " does not fit shape " + Arrays.toString(shape));
    }
    long flat = 0;
    for (int d = 0; d < shape.length; d++) {
      if (index[d] < 0 || index[d] >= shape[d]) {
        throw new IndexOutOfBoundsException(
            "index " + Arrays.toString(index) + " outside shape " + Arrays.toString(shape));
      }
      flat = flat * shape[d] + index[d];
    }
    return (int) flat;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Tensor t
        && Objects.equals(name, t.name)
        && Arrays.equals(shape, t.shape)
        && dtype.equals(t.dtype)
        && Arrays.equals(data, t.data)
        && Arrays.equals(integers, t.integers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, Arrays.hashCode(shape), dtype, Arrays.hashCode(data), Arrays.hashCode(integers));
  }

  @Override
  public String toString() {
    return (name == null ? "tensor" : name) + " " + dtype + Arrays.toString(shape);
  }
}
