package io.sr4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class HostBuffersTest {
  // 64 KB of floats: below glibc's mmap threshold, so a freed block is reused by the next request of its size (a block
  // allocated after it keeps it from merging into the free top of the heap, which glibc may return to the system)
  private static final int LENGTH = 16 << 10;

  /** Installed by the test run's launcher session (HostBuffersSession), before any test; a second install is a no-op. */
  @Test
  void theTestRunUsesTheHostBuffersAsTheCommandLineDoes() {
    assertTrue(HostBuffers.installed(), "installed by HostBuffersSession");
    Object factory = Nd4j.getDataBufferFactory();
    HostBuffers.install();
    assertSame(factory, Nd4j.getDataBufferFactory());
  }

  @Test
  void zeroedArraysAreZeroAlsoOnReusedMemory() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      for (int round = 0; round < 20; round++) {
        INDArray dirty = Nd4j.createUninitialized(type, LENGTH).assign(7);
        INDArray after = Nd4j.createUninitialized(type, LENGTH);
        HostBuffers.release(dirty);
        INDArray zeros = Nd4j.create(type, LENGTH);
        assertEquals(0.0, zeros.amaxNumber().doubleValue(), type + " round " + round);
        HostBuffers.release(zeros);
        HostBuffers.release(after);
      }
    }
  }

  @Test
  void releaseFreesTheMemoryAtOnce() {
    INDArray x = Nd4j.createUninitialized(DataType.FLOAT, LENGTH);
    Pointer memory = x.data().pointer();
    assertFalse(memory.isNull());
    HostBuffers.release(x);
    assertTrue(memory.isNull(), "the array's memory was freed");
  }

  @Test
  void releaseLeavesViewsAlone() {
    INDArray x = Nd4j.linspace(DataType.FLOAT, 1, 8, 1).reshape(2, 4);
    HostBuffers.release(x.getRow(1));
    assertArrayEquals(new float[] {5, 6, 7, 8}, x.getRow(1).toFloatVector());
  }

  @Test
  void copiesAndOperationsSeeTheirInputs() {
    INDArray a = Nd4j.rand(DataType.DOUBLE, 3, 5);
    INDArray b = a.dup('f');
    assertEquals(a, b);
    assertEquals(a.mul(2), a.add(a));
    double[][] v = a.toDoubleMatrix();
    double[][] gram = a.mmul(b.transpose()).toDoubleMatrix();
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        double expected = 0;
        for (int k = 0; k < 5; k++) {
          expected += v[i][k] * v[j][k];
        }
        assertEquals(expected, gram[i][j], 1e-12);
      }
    }
  }
}
