package io.sr4j.nn;

import static io.sr4j.nn.NnTestSupport.assertClose;
import static io.sr4j.nn.NnTestSupport.naiveConv;
import static io.sr4j.nn.NnTestSupport.naiveEdgePad;
import static io.sr4j.nn.NnTestSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Forward pass of FastConv2D against the direct convolution in {@link NnTestSupport#naiveConv} and against DL4J's
 * stock ConvolutionLayer with the same weights, in FLOAT and DOUBLE; output InputTypes; runtime input sizes.
 */
class FastConv2DForwardTest {

  /** One convolution geometry; {@code stock} is the equivalent stock layer (REPLICATE: on pre-padded input). */
  record Case(String name, int kh, int kw, int stride, FastConv2D.Padding mode, int padH, int padW) {

    FastConv2D.Builder fast() {
      FastConv2D.Builder b = new FastConv2D.Builder(kh, kw).stride(stride, stride);
      return mode == FastConv2D.Padding.EXPLICIT ? b.padding(padH, padW) : b.paddingMode(mode);
    }

    ConvolutionLayer.Builder stock() {
      boolean zeroPad = mode != FastConv2D.Padding.REPLICATE;
      return new ConvolutionLayer.Builder(kh, kw).stride(stride, stride)
          .convolutionMode(ConvolutionMode.Truncate)
          .padding(zeroPad ? padH : 0, zeroPad ? padW : 0);
    }

    boolean replicate() {
      return mode == FastConv2D.Padding.REPLICATE;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("3x3 SAME", 3, 3, 1, FastConv2D.Padding.SAME, 1, 1),
        new Case("9x9 SAME", 9, 9, 1, FastConv2D.Padding.SAME, 4, 4),
        new Case("5x3 SAME stride 2", 5, 3, 2, FastConv2D.Padding.SAME, 2, 1),
        new Case("4x4 stride 2 pad 1", 4, 4, 2, FastConv2D.Padding.EXPLICIT, 1, 1),
        new Case("3x3 valid", 3, 3, 1, FastConv2D.Padding.EXPLICIT, 0, 0),
        new Case("1x1", 1, 1, 1, FastConv2D.Padding.SAME, 0, 0),
        new Case("2x3 pad (1,2) stride 3", 2, 3, 3, FastConv2D.Padding.EXPLICIT, 1, 2),
        new Case("9x9 REPLICATE", 9, 9, 1, FastConv2D.Padding.REPLICATE, 4, 4),
        new Case("5x5 REPLICATE", 5, 5, 1, FastConv2D.Padding.REPLICATE, 2, 2),
        new Case("3x3 REPLICATE stride 2", 3, 3, 2, FastConv2D.Padding.REPLICATE, 1, 1));
  }

  static Stream<Arguments> casesAndTypes() {
    return cases().flatMap(c -> Stream.of(Arguments.of(c, DataType.FLOAT), Arguments.of(c, DataType.DOUBLE)));
  }

  private static ComputationGraph graph(Layer conv, DataType type, int h, int w, int c) {
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(3).dataType(type).weightInit(WeightInit.XAVIER)
        .graphBuilder()
        .addInputs("in")
        .addLayer("conv", conv, "in")
        .setOutputs("conv")
        .setInputTypes(InputType.convolutional(h, w, c))
        .build();
    ComputationGraph g = new ComputationGraph(conf);
    g.init();
    return g;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("casesAndTypes")
  void matchesNaiveAndStockConvolution(Case c, DataType type) {
    int h = 11;
    int w = 8;
    int cin = 3;
    int cout = 4;
    double tol = type == DataType.FLOAT ? 1e-5 : 1e-10;
    ComputationGraph fast = graph(c.fast().nOut(cout).biasInit(0.25).build(), type, h, w, cin);
    ComputationGraph stock = graph(c.stock().nOut(cout).activation(Activation.IDENTITY).build(), type,
        h + (c.replicate() ? 2 * c.padH() : 0), w + (c.replicate() ? 2 * c.padW() : 0), cin);
    INDArray weights = fast.getLayer("conv").getParam("W");
    INDArray bias = fast.getLayer("conv").getParam("b");
    stock.getLayer("conv").setParam("W", weights);
    stock.getLayer("conv").setParam("b", bias);

    Nd4j.getRandom().setSeed(11);
    INDArray x = uniform(type, 2, cin, h, w);
    INDArray y = fast.outputSingle(x);
    assertEquals(type, y.dataType());

    INDArray expected = naiveConv(x, weights, bias, c.stride(), c.stride(), c.padH(), c.padW(), c.replicate());
    assertClose(expected, y, tol, c + " vs naive");

    // Stock layer: zero padding itself, or a valid convolution of the edge-padded input for REPLICATE.
    INDArray stockIn = c.replicate() ? naiveEdgePad(x, c.padH(), c.padW()).castTo(type) : x;
    assertClose(stock.outputSingle(stockIn), y, tol, c + " vs stock ConvolutionLayer");
  }

  @Test
  void sameModeEqualsStockSameModeAndNoBiasHasOnlyWeights() {
    ComputationGraph fast = graph(new FastConv2D.Builder(3).hasBias(false).nOut(5).build(), DataType.FLOAT, 6,
        7, 2);
    ComputationGraph stock = graph(new ConvolutionLayer.Builder(3, 3).hasBias(false)
        .convolutionMode(ConvolutionMode.Same).nOut(5).activation(Activation.IDENTITY).build(),
        DataType.FLOAT, 6, 7, 2);
    assertEquals(5 * 2 * 3 * 3, fast.numParams());
    assertEquals(Set.of("W"), fast.getLayer("conv").paramTable().keySet());
    stock.getLayer("conv").setParam("W", fast.getLayer("conv").getParam("W"));
    INDArray x = uniform(DataType.FLOAT, 3, 2, 6, 7);
    assertClose(stock.outputSingle(x), fast.outputSingle(x), 1e-5, "no-bias SAME");
  }

  @ParameterizedTest(name = "negative slope {0}")
  @ValueSource(doubles = {0.0, 0.2})
  void reluAndLeakyReluAreAppliedAfterBiasInTrainingAndInference(double negativeSlope) {
    IActivation activation = negativeSlope == 0.0 ? new ActivationReLU() : new ActivationLReLU(negativeSlope);
    ComputationGraph g = graph(new FastConv2D.Builder(3).nOut(4).activation(activation).biasInit(-0.3).build(),
        DataType.DOUBLE, 5, 6, 2);
    INDArray x = uniform(DataType.DOUBLE, 2, 2, 5, 6);
    INDArray z = naiveConv(x, g.getLayer("conv").getParam("W"), g.getLayer("conv").getParam("b"), 1, 1, 1, 1,
        false);
    INDArray expected = Transforms.max(z, 0.0).addi(Transforms.min(z, 0.0).muli(negativeSlope));
    assertClose(expected, g.outputSingle(x), 1e-10, activation + " inference");
    assertClose(expected, g.feedForward(new INDArray[] {x}, true).get("conv"), 1e-10, activation + " training");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void outputTypeMatchesRuntimeShapeForAnyInputSize(Case c) {
    ComputationGraph g = graph(c.fast().nOut(6).build(), DataType.FLOAT, 16, 16, 3);
    for (int[] hw : new int[][] {{16, 16}, {13, 9}, {7, 20}}) {
      Map<String, InputType> types = g.getConfiguration()
          .getLayerActivationTypes(InputType.convolutional(hw[0], hw[1], 3));
      InputType.InputTypeConvolutional t = (InputType.InputTypeConvolutional) types.get("conv");
      INDArray x = uniform(DataType.FLOAT, 2, 3, hw[0], hw[1]);
      INDArray y = g.outputSingle(x);
      assertArrayEquals(new long[] {2, t.getChannels(), t.getHeight(), t.getWidth()}, y.shape(),
          c + " at " + hw[0] + "x" + hw[1]);
      long expectedH = (hw[0] + 2L * c.padH() - c.kh()) / c.stride() + 1;
      long expectedW = (hw[1] + 2L * c.padW() - c.kw()) / c.stride() + 1;
      assertArrayEquals(new long[] {2, 6, expectedH, expectedW}, y.shape(), c + " PyTorch output size");
      assertClose(naiveConv(x, g.getLayer("conv").getParam("W"), g.getLayer("conv").getParam("b"),
          c.stride(), c.stride(), c.padH(), c.padW(), c.replicate()), y, 1e-5, c + " values");
    }
  }

  @Test
  void builderRejectsEvenKernelForSameAndReplicate() {
    assertThrows(IllegalArgumentException.class, () -> new FastConv2D.Builder(4).build());
    assertThrows(IllegalArgumentException.class,
        () -> new FastConv2D.Builder(3, 2).paddingMode(FastConv2D.Padding.REPLICATE).build());
    assertThrows(IllegalArgumentException.class, () -> new FastConv2D.Builder(3).stride(0, 1).build());
    assertThrows(IllegalArgumentException.class, () -> new FastConv2D.Builder(3).padding(-1, 0).build());
  }

  @Test
  void inputTooSmallForKernelFailsAtConfiguration() {
    assertThrows(IllegalArgumentException.class,
        () -> graph(new FastConv2D.Builder(5).padding(0, 0).nOut(2).build(), DataType.FLOAT, 4, 9, 1));
  }
}
