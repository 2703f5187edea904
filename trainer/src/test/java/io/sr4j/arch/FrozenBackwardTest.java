package io.sr4j.arch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.nn.InputGradientGraph;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link InputGradientGraph#inputGradients} (the frozen backward: input gradient only) gives the input gradient of
 * the full backward ({@code backpropWithInputGradients}) on small instances of the networks that are frozen during
 * training (the discriminators with and without BatchNorm, VGG-19 features), in float (oneDNN convolutions) and in
 * double (libnd4j), and leaves the parameter gradients of a later full backward unchanged.
 */
class FrozenBackwardTest {

  static Stream<Arguments> networks() {
    return Stream.of(
        Arguments.of("vgg128", Map.of("num_feat", 4, "input_size", 32), 32),
        Arguments.of("vgg128", Map.of("num_feat", 4, "input_size", 32, "batch_norm", false), 32),
        Arguments.of("srgan_d", Map.of("num_feat", 4, "input_size", 32), 32),
        Arguments.of("vgg19", Map.of("layers", List.of("conv2_2", "conv4_1")), 20),
        Arguments.of("vgg19", Map.of("layers", List.of("relu2_2", "relu3_1"), "before_activation", false), 20));
  }

  private static InputGradientGraph graph(String arch, Map<String, Object> options, DataType type) {
    ComputationGraphConfiguration conf = Architectures.get(arch).configuration(options, arch);
    conf.setDataType(type);
    InputGradientGraph g = InputGradientGraph.create(conf);
    Nd4j.getRandom().setSeed(42);
    g.params().assign(Nd4j.rand(DataType.DOUBLE, g.params().shape()).subi(0.5).muli(0.4).castTo(type));
    return g;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("networks")
  void inputGradientEqualsFullBackward(String arch, Map<String, Object> options, int size) {
    for (DataType type : List.of(DataType.FLOAT, DataType.DOUBLE)) {
      InputGradientGraph g = graph(arch, options, type);
      Nd4j.getRandom().setSeed(7);
      INDArray x = Nd4j.rand(type, 3, 3, size, size);
      INDArray[] out = g.forwardTrain(x);
      INDArray[] dLdOut = new INDArray[out.length];
      for (int i = 0; i < out.length; i++) {
        dLdOut[i] = Nd4j.rand(type, out[i].shape()).subi(0.5);
      }
      InputGradientGraph.Gradients full = g.backpropWithInputGradients(dLdOut);
      INDArray expected = full.inputs()[0];
      INDArray parameterGradients = full.parameters().gradient().dup();

      g.forwardTrain(x);
      INDArray[] frozen = g.inputGradients(dLdOut);
      assertEquals(1, frozen.length);
      assertArrayEquals(expected.shape(), frozen[0].shape());
      double scale = expected.amaxNumber().doubleValue();
      double diff = expected.sub(frozen[0]).amaxNumber().doubleValue();
      double tol = type == DataType.FLOAT ? 1e-6 : 1e-12;
      assertTrue(scale > 0, "the input gradient is not zero");
      assertTrue(diff <= tol * scale, arch + " " + type + ": max |diff| " + diff + " vs max |dL/dx| " + scale);

      g.forwardTrain(x);
      INDArray again = g.backpropWithInputGradients(dLdOut).parameters().gradient();
      assertEquals(0.0, again.sub(parameterGradients).amaxNumber().doubleValue(), 0.0,
          "a full backward after a frozen one computes all parameter gradients again");
    }
  }
}
