package io.sr4j.arch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.config.ConfigException;
import io.sr4j.data.BadInputException;
import io.sr4j.nn.InputGradientGraph;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class ArchitectureTest {
  private static ComputationGraph build(String arch, Map<String, Object> options) {
    ComputationGraph g = new ComputationGraph(Architectures.get(arch).configuration(options, arch));
    g.init();
    return g;
  }

  /** Reference counts: the PyTorch implementations' sum of parameter sizes. */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = ';', value = {
    "srcnn; {kernel_sizes: [9, 1, 5]}; 8129",
    "srcnn; {kernel_sizes: [9, 5, 5]}; 57281",
    "srresnet; {}; 1550659",
    "rrdbnet; {}; 16697987",
    "rrdbnet; {num_block: 6}; 4467779",
    "vgg19; {layers: [conv5_4]}; 20024384",
    "vgg16; {layers: [relu5_3]}; 14714688",
    "alexnet; {}; 2469696",
    "srresnet; {style: msrresnet}; 1517571",
  })
  void parameterCountsMatchTheReferences(String arch, String yamlOptions, long expected) throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> options = io.sr4j.config.ConfigLoader.mapper().readValue(yamlOptions, Map.class);
    assertEquals(expected, ParameterCount.trainable(build(arch, options)));
  }

  @Test
  void generatorsRunOnAnySize() {
    Nd4j.getRandom().setSeed(1);
    record Case(String arch, Map<String, Object> opts, long c, long h, long w, long oh, long ow) {}
    List<Case> cases = List.of(
        new Case("srcnn", Map.of("padding", "same"), 1, 13, 7, 13, 7),
        new Case("srcnn", Map.of("padding", "replicate", "kernel_sizes", List.of(9, 3, 5)), 1, 10, 11, 10, 11),
        new Case("srcnn", Map.of("padding", "valid", "kernel_sizes", List.of(9, 1, 5)), 1, 33, 35, 21, 23),
        new Case("srresnet", Map.of("num_block", 2, "num_feat", 8, "scale", 4), 3, 7, 5, 28, 20),
        new Case("srresnet", Map.of("num_block", 1, "num_feat", 8, "scale", 3), 3, 5, 6, 15, 18),
        new Case("srresnet", Map.of("num_block", 1, "num_feat", 8, "scale", 2, "style", "msrresnet"), 3, 5, 6, 10, 12),
        new Case("rrdbnet", Map.of("num_block", 1, "num_feat", 8, "num_grow_ch", 4, "scale", 4), 3, 9, 6, 36, 24),
        new Case("rrdbnet", Map.of("num_block", 1, "num_feat", 8, "num_grow_ch", 4, "scale", 3), 3, 5, 7, 15, 21),
        new Case("rrdbnet", Map.of("num_block", 1, "num_feat", 8, "num_grow_ch", 4, "scale", 2), 3, 5, 7, 10, 14));
    for (Case c : cases) {
      INDArray out = build(c.arch(), c.opts()).outputSingle(Nd4j.rand(DataType.FLOAT, 1, c.c(), c.h(), c.w()));
      assertArrayEquals(new long[] {1, c.c(), c.oh(), c.ow()}, out.shape(), c.arch() + " " + c.opts());
    }
  }

  @Test
  void discriminatorsGiveOneLogitPerImage() {
    INDArray d128 = build("vgg128", Map.of("num_feat", 4)).outputSingle(Nd4j.rand(DataType.FLOAT, 2, 3, 128, 128));
    assertArrayEquals(new long[] {2, 1}, d128.shape());
    INDArray srganD = build("srgan_d", Map.of("num_feat", 4, "input_size", 32)).outputSingle(Nd4j.rand(DataType.FLOAT, 3, 3, 32, 32));
    assertArrayEquals(new long[] {3, 1}, srganD.shape());
  }

  @Test
  void vggOutputsTheRequestedLayersAtTheirResolutions() {
    INDArray[] out = build("vgg19", Map.of("layers", List.of("conv2_2", "conv3_1"))).output(false, Nd4j.rand(DataType.FLOAT, 1, 3, 16, 12));
    assertArrayEquals(new long[] {1, 128, 8, 6}, out[0].shape());
    assertArrayEquals(new long[] {1, 256, 4, 3}, out[1].shape());
  }

  /** Small instances of every architecture: name, options (YAML), input channels, height, width. */
  static Stream<Arguments> smallInstances() {
    return Stream.of(
        Arguments.of("srcnn", "{padding: valid, kernel_sizes: [5, 1, 3], num_feat: [4, 3]}", 1, 11, 9),
        Arguments.of("srcnn", "{padding: replicate, kernel_sizes: [3, 3, 3], num_feat: [3, 2]}", 1, 6, 5),
        Arguments.of("srresnet", "{num_feat: 4, num_block: 1, scale: 2}", 3, 5, 4),
        Arguments.of("srresnet", "{num_feat: 4, num_block: 1, scale: 3, style: msrresnet}", 3, 4, 3),
        Arguments.of("rrdbnet", "{num_feat: 4, num_grow_ch: 2, num_block: 1, scale: 2}", 3, 4, 5),
        Arguments.of("rrdbnet", "{num_feat: 4, num_grow_ch: 2, num_block: 1, scale: 2, batch_norm: true}", 3, 4, 3),
        Arguments.of("srgan_d", "{num_feat: 2, input_size: 16}", 3, 16, 16),
        Arguments.of("vgg19", "{layers: [conv1_2, conv2_1], before_activation: true}", 3, 6, 4));
  }

  private static InputGradientGraph doubleGraph(String arch, String yamlOptions) throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> options = io.sr4j.config.ConfigLoader.mapper().readValue(yamlOptions, Map.class);
    return GraphGradients.doubleGraph(Architectures.get(arch).configuration(options, arch));
  }

  private static boolean isGenerator(String arch) {
    return !arch.equals("srgan_d") && !arch.equals("vgg19");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("smallInstances")
  void finiteDifferencesAgreeWithBackprop(String arch, String yamlOptions, long c, long h, long w) throws Exception {
    InputGradientGraph g = doubleGraph(arch, yamlOptions);
    Nd4j.getRandom().setSeed(7);
    INDArray x = Nd4j.rand(DataType.DOUBLE, 2, c, h, w);
    boolean generator = isGenerator(arch);
    assertEquals(generator ? 20 : 40, GraphGradients.check(g, x, 20, 11, !generator));
  }

  /**
   * The whole graph in float (oneDNN convolutions with their fused ReLUs, on the CPU backend) against the same
   * parameters in double (libnd4j, checked against finite differences above): outputs in training and inference
   * mode, every parameter gradient and the input gradient, relative to the largest magnitude of each array.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("smallInstances")
  void floatGraphAgreesWithTheDoubleGraph(String arch, String yamlOptions, long c, long h, long w)
      throws Exception {
    InputGradientGraph reference = doubleGraph(arch, yamlOptions);
    reference.paramTable().forEach((key, p) -> {
      if (key.endsWith("_var")) {
        p.assign(Transforms.abs(p).addi(0.5)); // BatchNorm's running variances, used in inference mode
      }
    });
    ComputationGraphConfiguration floatConf = reference.getConfiguration().clone();
    floatConf.setDataType(DataType.FLOAT);
    InputGradientGraph fast = InputGradientGraph.create(floatConf);
    fast.params().assign(reference.params().castTo(DataType.FLOAT));
    Nd4j.getRandom().setSeed(7);
    INDArray x = Nd4j.rand(DataType.DOUBLE, 2, c, h, w);
    INDArray[] expectedOut = reference.forwardTrain(x);
    INDArray[] dLdOut = new INDArray[expectedOut.length];
    for (int i = 0; i < dLdOut.length; i++) {
      expectedOut[i] = expectedOut[i].dup();
      dLdOut[i] = Nd4j.rand(DataType.DOUBLE, expectedOut[i].shape()).subi(0.5);
    }
    InputGradientGraph.Gradients expected = reference.backpropWithInputGradients(dLdOut);
    INDArray expectedParams = expected.parameters().gradient().dup();
    INDArray[] actualOut = fast.forwardTrain(x.castTo(DataType.FLOAT));
    for (int i = 0; i < dLdOut.length; i++) {
      assertRelativeClose(expectedOut[i], actualOut[i].dup(), "training output " + i);
      dLdOut[i] = dLdOut[i].castTo(DataType.FLOAT);
    }
    InputGradientGraph.Gradients actual = fast.backpropWithInputGradients(dLdOut);
    assertRelativeClose(expectedParams, actual.parameters().gradient(), "parameter gradients");
    if (!isGenerator(arch)) {
      assertRelativeClose(expected.inputs()[0], actual.inputs()[0], "dL/dInput");
    }
    INDArray[] inference = fast.output(false, x.castTo(DataType.FLOAT));
    INDArray[] expectedInference = reference.output(false, x);
    for (int i = 0; i < inference.length; i++) {
      assertRelativeClose(expectedInference[i], inference[i], "inference output " + i);
    }
  }

  private static void assertRelativeClose(INDArray expected, INDArray actual, String what) {
    double scale = Math.max(1e-12, expected.amaxNumber().doubleValue());
    double error = expected.sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    assertTrue(error <= 1e-4 * scale, what + ": max error " + error + " vs largest magnitude " + scale);
  }

  @Test
  void vgg128GradientsOnATinyInstance() {
    InputGradientGraph g = GraphGradients.doubleGraph(Architectures.get("vgg128").configuration(Map.of("num_feat", 1), "vgg128"));
    Nd4j.getRandom().setSeed(3);
    assertEquals(24, GraphGradients.check(g, Nd4j.rand(DataType.DOUBLE, 2, 3, 128, 128), 12, 5, true));
  }

  @Test
  void badOptionsNameTheKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> Architectures.get("rrdbnet").configuration(Map.of("num_blok", 3), "network_g"));
    assertTrue(e.getMessage().contains("num_blok: unknown key; did you mean num_block?"), e.getMessage());
    ConfigException k = assertThrows(ConfigException.class,
        () -> Architectures.get("srcnn").configuration(Map.of("kernel_sizes", List.of(9, 2, 5)), "network_g"));
    assertTrue(k.getMessage().contains("kernel_sizes") && k.getMessage().contains("odd"), k.getMessage());
    BadInputException a = assertThrows(BadInputException.class, () -> Architectures.get("rrdb"));
    assertTrue(a.getMessage().contains("unknown architecture 'rrdb'") && a.getMessage().contains("rrdbnet"), a.getMessage());
  }
}
