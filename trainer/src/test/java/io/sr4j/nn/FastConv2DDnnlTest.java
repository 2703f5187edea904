package io.sr4j.nn;

import static io.sr4j.nn.NnTestSupport.assertClose;
import static io.sr4j.nn.NnTestSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The oneDNN path of FastConv2D (float networks on the CPU backend) against the libnd4j path in double precision,
 * which FastConv2DGradientTest checks against finite differences (oneDNN has no double-precision convolution):
 * outputs in training and inference mode, parameter gradients and the input gradient, for every kernel size,
 * stride and padding mode of the zoo, with and without bias, and the first-layer mode without input gradient. Also
 * checks that the oneDNN path is bitwise deterministic and that {@code -Dsr4j.conv=libnd4j} selects libnd4j.
 */
class FastConv2DDnnlTest {

  /** Float against double: relative to the largest magnitude of the compared array. */
  private static final double TOL = 2e-5;

  static Stream<Arguments> configurations() {
    return Stream.of(
        Arguments.of("9x9 SAME 1->8 first layer (SRCNN f1)", 17, 15, 1,
            (Supplier<FastConv2D.Builder>) () -> new FastConv2D.Builder(9).nOut(8).activation(new ActivationReLU())
                .inputGradient(false)),
        Arguments.of("9x9 valid 3->8", 17, 15, 3,
            (Supplier<FastConv2D.Builder>) () -> new FastConv2D.Builder(9).padding(0, 0).nOut(8)),
        Arguments.of("5x5 REPLICATE 8->3", 12, 11, 8,
            (Supplier<FastConv2D.Builder>) () -> new FastConv2D.Builder(5)
                .paddingMode(FastConv2D.Padding.REPLICATE).nOut(3)),
        Arguments.of("1x1 16->32 ReLU", 9, 7, 16,
            (Supplier<FastConv2D.Builder>) () -> new FastConv2D.Builder(1).nOut(32).activation(new ActivationReLU())),
        Arguments.of("3x3 SAME 64->32 LeakyReLU", 10, 9, 64,
            (Supplier<FastConv2D.Builder>) () -> new FastConv2D.Builder(3).nOut(32)
                .activation(new ActivationLReLU(0.2))),
        Arguments.of("3x3 SAME 32->32 no bias tanh", 8, 8, 32,
            (Supplier<FastConv2D.Builder>) () -> new FastConv2D.Builder(3).nOut(32).hasBias(false)
                .activation(new ActivationTanH())),
        Arguments.of("3x3 stride 2 pad 1 16->16", 9, 8, 16,
            (Supplier<FastConv2D.Builder>) () -> new FastConv2D.Builder(3).stride(2, 2).padding(1, 1).nOut(16)),
        Arguments.of("3x3 stride 2 valid 16->16, rows and columns left over", 10, 9, 16,
            (Supplier<FastConv2D.Builder>) () -> new FastConv2D.Builder(3).stride(2, 2).padding(0, 0).nOut(16)),
        Arguments.of("4x4 stride 2 pad 1 32->64 no bias (VGG-128 D)", 16, 12, 32,
            (Supplier<FastConv2D.Builder>) () -> new FastConv2D.Builder(4).stride(2, 2).padding(1, 1).nOut(64)
                .hasBias(false)),
        Arguments.of("3x3 REPLICATE first layer 3->16", 8, 9, 3,
            (Supplier<FastConv2D.Builder>) () -> new FastConv2D.Builder(3).paddingMode(FastConv2D.Padding.REPLICATE)
                .nOut(16).inputGradient(false)));
  }

  /** "conv" (the layer under test) on the input, then a 3x3 conv so that conv's input gradient is exercised. */
  private static InputGradientGraph graph(DataType type, int h, int w, int channels, FastConv2D.Builder underTest) {
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(5).dataType(type).updater(new NoOp()).weightInit(WeightInit.XAVIER).biasInit(0.1)
        .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE)
        .graphBuilder().addInputs("in")
        .addLayer("conv", underTest.build(), "in")
        .addLayer("post", new FastConv2D.Builder(3).nOut(4).activation(new ActivationIdentity()).build(), "conv")
        .setOutputs("post")
        .setInputTypes(InputType.convolutional(h, w, channels)).build();
    return InputGradientGraph.create(conf);
  }

  private record Run(INDArray inference, INDArray training, Map<String, INDArray> parameterGradients,
      INDArray inputGradient) {
  }

  private static Run run(InputGradientGraph g, INDArray x, INDArray dLdOut) {
    INDArray inference = g.output(false, x)[0].dup();
    INDArray training = g.forwardTrain(x)[0].dup();
    InputGradientGraph.Gradients grads = g.backpropWithInputGradients(dLdOut);
    Map<String, INDArray> params = new java.util.TreeMap<>();
    grads.parameters().gradientForVariable().forEach((k, v) -> params.put(k, v.dup()));
    return new Run(inference, training, params, grads.inputs()[0]);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configurations")
  void floatOneDnnMatchesDoubleLibnd4j(String name, int h, int w, int channels,
      Supplier<FastConv2D.Builder> underTest) {
    InputGradientGraph reference = graph(DataType.DOUBLE, h, w, channels, underTest.get());
    InputGradientGraph fast = graph(DataType.FLOAT, h, w, channels, underTest.get());
    fast.params().assign(reference.params().castTo(DataType.FLOAT));
    Nd4j.getRandom().setSeed(11);
    INDArray x = uniform(DataType.DOUBLE, 3, channels, h, w);
    INDArray dLdOut = uniform(DataType.DOUBLE, reference.output(false, x)[0].shape());

    Run expected = run(reference, x, dLdOut);
    Run actual = run(fast, x.castTo(DataType.FLOAT), dLdOut.castTo(DataType.FLOAT));
    assertEquals(DataType.FLOAT, actual.training().dataType());
    assertClose(expected.inference(), actual.inference(), TOL, "inference output");
    assertClose(expected.training(), actual.training(), TOL, "training output");
    assertEquals(expected.parameterGradients().keySet(), actual.parameterGradients().keySet());
    for (String key : expected.parameterGradients().keySet()) {
      assertClose(expected.parameterGradients().get(key), actual.parameterGradients().get(key), TOL, key);
    }
    assertClose(expected.inputGradient(), actual.inputGradient(), TOL, "dL/dInput");
  }

  @Test
  void oneDnnPathIsBitwiseDeterministic() {
    InputGradientGraph g = graph(DataType.FLOAT, 12, 10, 16, new FastConv2D.Builder(3).nOut(32)
        .activation(new ActivationLReLU(0.2)));
    Nd4j.getRandom().setSeed(3);
    INDArray x = uniform(DataType.FLOAT, 4, 16, 12, 10);
    INDArray dLdOut = uniform(DataType.FLOAT, 4, 4, 12, 10);
    Run first = run(g, x, dLdOut);
    Run second = run(g, x, dLdOut);
    assertArrayEquals(first.training().data().asFloat(), second.training().data().asFloat());
    assertArrayEquals(first.inference().data().asFloat(), second.inference().data().asFloat());
    assertArrayEquals(first.inputGradient().data().asFloat(), second.inputGradient().data().asFloat());
    for (String key : first.parameterGradients().keySet()) {
      assertArrayEquals(first.parameterGradients().get(key).data().asFloat(),
          second.parameterGradients().get(key).data().asFloat(), key);
    }
  }

  @Test
  void kernelCacheIsBoundedAndResultsSurviveEviction() throws Exception {
    // in a thread of its own: the reorder buffers are per thread and only grow, so earlier tests would count too
    FutureTask<Void> task = new FutureTask<>(() -> {
      InputGradientGraph g = graph(DataType.FLOAT, 20, 20, 16, new FastConv2D.Builder(3).nOut(16));
      INDArray x = uniform(DataType.FLOAT, 2, 16, 20, 20);
      INDArray before = g.output(false, x)[0].dup();
      int max = DnnlConvolution.maxShapes;
      try {
        DnnlConvolution.maxShapes = 3;
        for (int size = 21; size <= 26; size++) {
          g.output(false, uniform(DataType.FLOAT, 2, 16, size, size));
          assertTrue(DnnlConvolution.cachedShapes() <= 3, DnnlConvolution.cachedShapes() + " shapes cached");
        }
        long buffers = DnnlConvolution.bufferBytes();
        assertTrue(buffers > 0 && buffers < 10 * 2 * 16 * 26 * 26 * 4, "reorder buffers of this thread: " + buffers);
        assertArrayEquals(before.data().asFloat(), g.output(false, x)[0].data().asFloat(), "after eviction");
      } finally {
        DnnlConvolution.maxShapes = max;
      }
      return null;
    });
    Thread t = new Thread(task);
    t.start();
    try {
      task.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Error error) {
        throw error; // the assertion's own failure
      }
      throw e;
    }
  }

  @Test
  void systemPropertySelectsLibnd4jAndRejectsUnknownValues() {
    // NCHW activations: a graph planned with blocked ones refuses libnd4j (BlockedLayoutsTest)
    InputGradientGraph g = NnTestSupport.withProperty(BlockedLayouts.PROPERTY, "nchw",
        () -> graph(DataType.FLOAT, 9, 9, 16, new FastConv2D.Builder(3).nOut(16)));
    Nd4j.getRandom().setSeed(4);
    INDArray x = uniform(DataType.FLOAT, 2, 16, 9, 9);
    INDArray dLdOut = uniform(DataType.FLOAT, 2, 4, 9, 9);
    assertTrue(DnnlConvolution.enabledFor(DataType.FLOAT));
    Run dnnl = run(g, x, dLdOut);
    try {
      System.setProperty(DnnlConvolution.PROPERTY, "libnd4j");
      assertTrue(!DnnlConvolution.enabledFor(DataType.FLOAT));
      Run libnd4j = run(g, x, dLdOut);
      assertClose(libnd4j.training(), dnnl.training(), 1e-5, "output");
      assertClose(libnd4j.inputGradient(), dnnl.inputGradient(), 1e-5, "dL/dInput");
      System.setProperty(DnnlConvolution.PROPERTY, "fastest");
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.output(false, x));
      assertTrue(e.getMessage().contains("sr4j.conv"), e.getMessage());
    } finally {
      System.clearProperty(DnnlConvolution.PROPERTY);
    }
  }
}
