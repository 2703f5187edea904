package io.sr4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * DnnlUpsampling on nChw16c arrays against libnd4j's NCHW upsampling op (what DL4J's Upsampling2D runs): bitwise
 * equal outputs for several factors and shapes. Whole graphs with BlockedUpsampling2D: {@link BlockedLayoutsTest}.
 */
class DnnlUpsamplingTest {

  /** NCHW [n, c, h, w] as the dense nChw16c array of the same logical shape. */
  private static INDArray blocked(INDArray nchw) {
    long[] s = nchw.shape();
    return nchw.reshape('c', s[0], s[1] / 16, 16, s[2], s[3]).permute(0, 1, 3, 4, 2).dup('c')
        .reshape('c', s);
  }

  /** Inverse of {@link #blocked}. */
  private static INDArray nchw(INDArray blocked) {
    long[] s = blocked.shape();
    return blocked.reshape('c', s[0], s[1] / 16, s[2], s[3], 16).permute(0, 1, 4, 2, 3).dup('c').reshape('c', s);
  }

  @ParameterizedTest(name = "[{0}, {1}, {2}, {3}] x ({4}, {5})")
  @CsvSource({"2, 32, 5, 7, 2, 2", "1, 16, 4, 4, 3, 2", "3, 48, 6, 3, 1, 3", "4, 64, 8, 8, 4, 4",
      "4, 64, 32, 32, 2, 2"}) // RRDBNet's first upsampling, large enough for the primitive's aligned stores
  void copiesWhatLibnd4jsNchwUpsamplingCopies(int n, int c, int h, int w, int factorH, int factorW) {
    Nd4j.getRandom().setSeed(n * 100 + c);
    INDArray x = Nd4j.rand(DataType.FLOAT, n, c, h, w).subi(0.5f);
    INDArray expected = Nd4j.createUninitialized(DataType.FLOAT, n, c, h * factorH, w * factorW);
    Nd4j.exec(DynamicCustomOp.builder("upsampling2d").addInputs(x).addOutputs(expected)
        .addIntegerArguments(factorH, factorW, 1).build());
    DnnlUpsampling.Kernels k = DnnlUpsampling.kernels(new DnnlUpsampling.Shape(n, c, h, w, factorH, factorW));
    INDArray out = k.newOutput(LayerWorkspaceMgr.noWorkspaces());
    k.forward(blocked(x), out);
    assertArrayEquals(expected.data().asFloat(), nchw(out).data().asFloat(), "output");
  }

  @Test
  void givesAlignedOutputsAndRefusesOthers() {
    DnnlUpsampling.Kernels k = DnnlUpsampling.kernels(new DnnlUpsampling.Shape(1, 16, 2, 2, 2, 2));
    INDArray twice = DnnlUpsampling.kernels(new DnnlUpsampling.Shape(2, 16, 2, 2, 2, 2))
        .newOutput(LayerWorkspaceMgr.noWorkspaces());
    assertEquals(0, DnnlConvolution.pointer(twice).address() % 64);
    INDArray shifted = twice.reshape(twice.length()).get(NDArrayIndex.interval(1, 257)).reshape(1, 16, 4, 4);
    assertEquals(4, DnnlConvolution.pointer(shifted).address() % 64);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> k.forward(Nd4j.rand(DataType.FLOAT, 1, 16, 2, 2), shifted));
    assertTrue(e.getMessage().startsWith("upsampling output must be a [1, 16, 4, 4] array starting on a 64-byte"),
        e.getMessage());
  }
}
