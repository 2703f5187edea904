package io.sr4j.ckpt.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.data.BadInputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class RawTensorsTest {

  private static ByteBuffer floats(float... values) {
    ByteBuffer buf = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      buf.putFloat(v);
    }
    return buf;
  }

  @Test
  void gathersAStridedViewInCOrder() {
    ByteBuffer storage = floats(0, 1, 2, 3, 4, 5); // a 2x3 matrix, row-major
    // Its transpose: shape (3, 2), strides (1, 3).
    Tensor t = RawTensors.decode("t", ElementType.FLOAT32, storage, 0, new long[] {3, 2}, new long[] {1, 3});

    assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, t.data());
    assertArrayEquals(new long[] {1, 1}, RawTensors.contiguousStrides(new long[] {4, 1}));
    assertArrayEquals(new long[] {6, 3, 1}, RawTensors.contiguousStrides(new long[] {2, 2, 3}));
  }

  @Test
  void refusesViewsOutsideTheStorage() {
    ByteBuffer storage = floats(0, 1, 2, 3);

    String message = assertThrows(BadInputException.class, () -> RawTensors.decode("net.pth, tensor w",
        ElementType.FLOAT32, storage, 1, new long[] {2, 2}, new long[] {2, 1})).getMessage();

    assertTrue(message.startsWith("net.pth, tensor w: size [2, 2], stride [2, 1] and offset 1 reach element 4, "
        + "but its storage holds 4 float32 elements"), message);
  }

  @Test
  void halfPrecisionWidensExactly() {
    assertEquals(1f, ElementType.halfToFloat((short) 0x3c00));
    assertEquals(-2f, ElementType.halfToFloat((short) 0xc000));
    assertEquals(65504f, ElementType.halfToFloat((short) 0x7bff)); // largest normal
    assertEquals(0x1p-24f, ElementType.halfToFloat((short) 0x0001)); // smallest subnormal
    assertEquals(-0f, ElementType.halfToFloat((short) 0x8000));
    assertEquals(Float.NEGATIVE_INFINITY, ElementType.halfToFloat((short) 0xfc00));
    assertTrue(Float.isNaN(ElementType.halfToFloat((short) 0x7e00)));
  }
}
