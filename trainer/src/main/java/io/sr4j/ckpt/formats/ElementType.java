package io.sr4j.ckpt.formats;

import java.nio.ByteBuffer;

/**
 * Element types of raw tensor bytes (PyTorch storages, safetensors buffers): their size and how one element
 * becomes a float (and, for integer types, an exact long). {@link #label()} is the dtype string that
 * {@link Tensor#dtype()} reports, spelled as in PyTorch ({@code torch.float32} -> {@code "float32"}).
 */
enum ElementType {
  FLOAT64("float64", 8),
  FLOAT32("float32", 4),
  FLOAT16("float16", 2),
  BFLOAT16("bfloat16", 2),
  INT64("int64", 8),
  INT32("int32", 4),
  INT16("int16", 2),
  INT8("int8", 1),
  UINT8("uint8", 1),
  BOOL("bool", 1);

  private final String label;
  private final int bytes;

  ElementType(String label, int bytes) {
    this.label = label;
    this.bytes = bytes;
  }

  /** The dtype string of {@link Tensor#dtype()}. */
  String label() {
    return label;
  }

  /** Size of one element in bytes. */
  int bytes() {
    return bytes;
  }

  /** True for integer and bool types, whose values {@link Tensor} also keeps exactly as longs. */
  boolean isInteger() {
    return switch (this) {
      case FLOAT64, FLOAT32, FLOAT16, BFLOAT16 -> false;
      case INT64, INT32, INT16, INT8, UINT8, BOOL -> true;
    };
  }

  /** The element at byte position {@code at} of {@code buf} (whose byte order is the file's), as a float. */
  float floatAt(ByteBuffer buf, int at) {
    return switch (this) {
      case FLOAT64 -> (float) buf.getDouble(at);
      case FLOAT32 -> buf.getFloat(at);
      case FLOAT16 -> halfToFloat(buf.getShort(at));
      case BFLOAT16 -> Float.intBitsToFloat((buf.getShort(at) & 0xffff) << 16);
      case INT64, INT32, INT16, INT8, UINT8, BOOL -> longAt(buf, at);
    };
  }

  /** The element at byte position {@code at} of an integer or bool buffer, exactly. */
  long longAt(ByteBuffer buf, int at) {
    return switch (this) {
      case INT64 -> buf.getLong(at);
      case INT32 -> buf.getInt(at);
      case INT16 -> buf.getShort(at);
      case INT8 -> buf.get(at);
      case UINT8 -> buf.get(at) & 0xff;
      case BOOL -> buf.get(at) != 0 ? 1 : 0;
      case FLOAT64, FLOAT32, FLOAT16, BFLOAT16 ->
          throw new IllegalStateException(label + " is not an integer type");
    };
  }

  /** IEEE 754 binary16 to binary32; exact (every half value is a float). */
  static float halfToFloat(short half) {
    int bits = half & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0) {
      // Zero or subnormal: mantissa * 2^-24.
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    // Rebias the exponent from 15 to 127.
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }
}
