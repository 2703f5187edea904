package io.sr4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.arch.Architectures;
import io.sr4j.config.ConfigLoader;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * BlockedLayouts: which activations a graph keeps in nChw16c, and that a planned graph computes exactly what the same
 * graph with NCHW activations computes (outputs, parameter gradients, input gradients, inference).
 */
class BlockedLayoutsTest {

  /** A graph built while {@link BlockedLayouts#PROPERTY} is {@code mode}. */
  private static <T> T withLayouts(String mode, Supplier<T> build) {
    return NnTestSupport.withProperty(BlockedLayouts.PROPERTY, mode, build);
  }

  private static ComputationGraphConfiguration zoo(String arch, String yamlOptions) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> options = ConfigLoader.mapper().readValue(yamlOptions, Map.class);
      return Architectures.get(arch).configuration(options, arch);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void rrdbNetKeepsEverythingBetweenItsFirstAndLastConvolutionBlocked() {
    InputGradientGraph g = InputGradientGraph.create(zoo("rrdbnet",
        "{num_feat: 32, num_grow_ch: 16, num_block: 1, scale: 4}"));
    Set<String> blocked = BlockedLayouts.plan(g);
    for (String v : new String[] {"conv_first", "body.0.rdb1.conv1", "body.0.rdb1.cat5", "body.0.rdb1.scaled",
        "body.0.rdb3", "body.0", "conv_body", "trunk", "up1", "conv_up1", "up2", "conv_up2", "conv_hr"}) {
      assertTrue(blocked.contains(v), v + " is not in " + blocked);
    }
    assertTrue(!blocked.contains("input") && !blocked.contains("conv_last"), blocked.toString());
    assertInstanceOf(BlockedUpsampling2D.class, g.getLayer("up1"));
    assertInstanceOf(BlockedUpsampling2D.class, g.getLayer("up2"));
  }

  /** conv(inC -> outC), 3x3, zero padding unless {@code replicate}. */
  private static FastConv2D conv(int inC, int outC, boolean replicate) {
    FastConv2D.Builder b = new FastConv2D.Builder(3).nIn(inC).nOut(outC).activation(new ActivationLReLU(0.2));
    return (replicate ? b.paddingMode(FastConv2D.Padding.REPLICATE) : b).build();
  }

  private static ComputationGraphConfiguration rules() {
    return new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT)
        .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE)
        .graphBuilder()
        .addInputs("in")
        .addLayer("a", conv(16, 32, false), "in") // read by a convolution only: blocked
        .addLayer("b", conv(32, 16, false), "a")
        .addLayer("r", conv(16, 32, false), "in") // read by an edge-padded convolution: NCHW
        .addLayer("rr", conv(32, 16, true), "r")
        .addLayer("o", conv(16, 16, false), "in") // a network output: NCHW
        .addLayer("o2", conv(16, 16, false), "o")
        .addLayer("odd", conv(16, 24, false), "in") // 24 channels: NCHW
        .addLayer("odd2", conv(24, 16, false), "odd")
        .addLayer("p", conv(16, 16, false), "in") // read by a BatchNorm: NCHW
        .addLayer("pbn", new BatchNormalization.Builder().nOut(16).build(), "p")
        .addLayer("c", conv(16, 16, false), "in") // joined with an upsampling, a concatenation and a sum: blocked
        .addVertex("cat", new MergeVertex(), "c", "b")
        .addLayer("up", new Upsampling2D.Builder(2).build(), "cat")
        .addLayer("u", conv(32, 16, false), "up")
        .addLayer("u2", conv(32, 16, false), "up")
        .addVertex("sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), "u", "u2")
        .addLayer("last", conv(16, 16, false), "sum")
        .setOutputs("rr", "o", "o2", "odd2", "pbn", "last")
        .setInputTypes(InputType.convolutional(6, 5, 16))
        .build();
  }

  @Test
  void onlyArraysThatEveryReaderAcceptsAreBlocked() {
    InputGradientGraph g = InputGradientGraph.create(rules());
    assertEquals(Set.of("a", "b", "c", "cat", "up", "u", "u2", "sum"), BlockedLayouts.plan(g));
  }

  @Test
  void nothingIsBlockedWithoutTheOneDnnConvolutionOrWhenSwitchedOff() {
    assertEquals(Set.of(), withLayouts("nchw", () -> BlockedLayouts.plan(InputGradientGraph.create(rules()))));
    assertEquals(Set.of(), NnTestSupport.withProperty(DnnlConvolution.PROPERTY, "libnd4j",
        () -> BlockedLayouts.plan(InputGradientGraph.create(rules()))));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> withLayouts("nhwc", () -> InputGradientGraph.create(rules())));
    assertEquals("system property sr4j.layouts must be auto or nchw, not 'nhwc'", e.getMessage());
  }

  @Test
  void aPlannedLayerRefusesLibnd4jsConvolution() {
    InputGradientGraph g = InputGradientGraph.create(rules());
    INDArray x = Nd4j.rand(DataType.FLOAT, 1, 16, 6, 5);
    IllegalStateException e = NnTestSupport.withProperty(DnnlConvolution.PROPERTY, "libnd4j",
        () -> assertThrows(IllegalStateException.class, () -> g.forwardTrain(x)));
    assertTrue(e.getMessage().contains("planned with blocked layouts"), e.getMessage());
  }

  static Stream<Arguments> graphs() {
    return Stream.of(
        Arguments.of("rules", null, new long[] {2, 16, 6, 5}, true),
        Arguments.of("rrdbnet", "{num_feat: 32, num_grow_ch: 16, num_block: 1, scale: 4}", new long[] {2, 3, 8, 7},
            true),
        Arguments.of("rrdbnet", "{num_feat: 16, num_grow_ch: 16, num_block: 1, scale: 3, batch_norm: true}",
            new long[] {1, 3, 6, 6}, true),
        Arguments.of("rrdbnet", "{num_feat: 16, num_block: 2, scale: 2, block_type: resblock}",
            new long[] {1, 3, 6, 6}, true),
        Arguments.of("srcnn", "{}", new long[] {2, 1, 20, 20}, true),
        Arguments.of("srresnet", "{num_feat: 16, num_block: 1, style: msrresnet}", new long[] {1, 3, 6, 6}, true),
        Arguments.of("srresnet", "{num_feat: 16, num_block: 1}", new long[] {1, 3, 6, 6}, false),
        Arguments.of("vgg128", "{num_feat: 16}", new long[] {2, 3, 128, 128}, true),
        Arguments.of("srgan_d", "{num_feat: 16, input_size: 32}", new long[] {2, 3, 32, 32}, true),
        Arguments.of("vgg19", "{layers: [conv5_4]}", new long[] {1, 3, 32, 32}, true),
        Arguments.of("vgg19", "{layers: [conv1_2, conv2_2], before_activation: true}",
            new long[] {1, 3, 16, 16}, true));
  }

  /**
   * The same weights with every activation NCHW and with the plan: training outputs, every parameter gradient, the
   * input gradient and the inference outputs are bitwise equal.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("graphs")
  void aPlannedGraphComputesExactlyWhatTheNchwGraphComputes(String arch, String yamlOptions, long[] inputShape,
      boolean anyBlocked) {
    Supplier<InputGradientGraph> build = () -> InputGradientGraph.create(
        yamlOptions == null ? rules() : zoo(arch, yamlOptions));
    InputGradientGraph nchw = withLayouts("nchw", build);
    InputGradientGraph planned = withLayouts("auto", build);
    assertEquals(anyBlocked, !BlockedLayouts.plan(planned).isEmpty(), BlockedLayouts.plan(planned).toString());
    Nd4j.getRandom().setSeed(5);
    planned.params().assign(Nd4j.rand(DataType.FLOAT, planned.params().shape()).subi(0.5f).muli(0.3f));
    nchw.params().assign(planned.params());
    INDArray x = Nd4j.rand(DataType.FLOAT, inputShape);

    INDArray[] expected = nchw.forwardTrain(x);
    INDArray[] dOut = new INDArray[expected.length];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = expected[i].dup();
      dOut[i] = Nd4j.rand(DataType.FLOAT, expected[i].shape()).subi(0.5f);
    }
    InputGradientGraph.Gradients expectedGradients = nchw.backpropWithInputGradients(dOut);
    INDArray expectedParameterGradient = expectedGradients.parameters().gradient().dup();
    INDArray[] got = planned.forwardTrain(x);
    for (int i = 0; i < expected.length; i++) {
      assertBitwiseEqual(expected[i], got[i], "training output " + i);
    }
    InputGradientGraph.Gradients gradients = planned.backpropWithInputGradients(dOut);
    assertBitwiseEqual(expectedParameterGradient, gradients.parameters().gradient(), "parameter gradients");
    assertBitwiseEqual(expectedGradients.inputs()[0], gradients.inputs()[0], "input gradient");
    INDArray[] expectedInference = nchw.output(false, x);
    INDArray[] inference = planned.output(false, x);
    for (int i = 0; i < expected.length; i++) {
      assertBitwiseEqual(expectedInference[i], inference[i], "inference output " + i);
    }
  }

  private static void assertBitwiseEqual(INDArray expected, INDArray actual, String what) {
    assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
    assertArrayEquals(expected.dup('c').data().asFloat(), actual.dup('c').data().asFloat(), what);
  }
}
