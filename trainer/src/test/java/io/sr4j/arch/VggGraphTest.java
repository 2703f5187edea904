package io.sr4j.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sr4j.nn.InputGradientGraph;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** VggGraph: ReLUs inside the convolutions give what separate ReLU vertices give, forward and backward. */
class VggGraphTest {
  private static final int[] TWO_BLOCKS = {2, 2};

  @Test
  void reluInsideTheConvolutionMatchesASeparateReluVertex() {
    // every pre-activation requested: no ReLU can run inside its convolution
    InputGradientGraph separate = InputGradientGraph.create(VggGraph.build(TWO_BLOCKS, 8,
        List.of("conv1_1", "conv1_2", "conv2_1", "relu2_1"), true, null, null));
    // only the last ReLU's output: all three ReLUs run inside their convolutions
    InputGradientGraph fused = InputGradientGraph.create(VggGraph.build(TWO_BLOCKS, 8, List.of("relu2_1"), true,
        null, null));
    assertNotNull(separate.getVertex("relu1_1"));
    assertNull(fused.getVertex("relu1_1"));
    fused.setParams(separate.params());

    Nd4j.getRandom().setSeed(11);
    INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 16, 16);
    INDArray[] outs = separate.forwardTrain(x);
    INDArray expected = outs[3].dup();
    INDArray dOut = Nd4j.rand(DataType.FLOAT, expected.shape()).subi(0.5f);
    INDArray[] dOuts = {Nd4j.zerosLike(outs[0]), Nd4j.zerosLike(outs[1]), Nd4j.zerosLike(outs[2]), dOut};
    INDArray expectedGradient = separate.backpropWithInputGradients(dOuts).inputs()[0];

    INDArray got = fused.forwardTrain(x)[0].dup();
    INDArray gradient = fused.inputGradients(dOut)[0];
    assertEquals(0.0, got.sub(expected).amaxNumber().doubleValue(), "features");
    assertEquals(0.0, gradient.sub(expectedGradient).amaxNumber().doubleValue(), "input gradient");
    assertEquals(0.0, expected.minNumber().doubleValue(), "the ReLU output has zeros (the test covers both sides)");
  }
}
