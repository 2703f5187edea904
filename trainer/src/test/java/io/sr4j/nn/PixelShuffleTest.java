package io.sr4j.nn;

import static io.sr4j.nn.NnTestSupport.assertGradientsOk;
import static io.sr4j.nn.NnTestSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** PixelShuffle: PyTorch (CRD) channel order, exact inverse in backprop, output type, gradient checks. */
class PixelShuffleTest {

  /** Graph: input [N, c*r*r, h, w] -> PixelShuffle(r) -> output; workspaces off so input gradients are read. */
  private static InputGradientGraph shuffleOnly(int r, int channels, int h, int w) {
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
        .dataType(DataType.DOUBLE)
        .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE)
        .graphBuilder()
        .addInputs("in")
        .addVertex("ps", new PixelShuffle(r), "in")
        .setOutputs("ps")
        .setInputTypes(InputType.convolutional(h, w, channels))
        .build();
    return InputGradientGraph.create(conf);
  }

  @Test
  void handComputedExampleIsCrdNotDcr() {
    // C=2, r=2, H=W=1: input channels 0..7. CRD: out[c, i, j] = in[c*4 + i*2 + j].
    // (DCR, as ND4J depthToSpace, would give out[c, i, j] = in[(i*2 + j)*2 + c] = [[0,2],[4,6]], [[1,3],[5,7]].)
    INDArray in = Nd4j.arange(8).castTo(DataType.DOUBLE).reshape(1, 8, 1, 1);
    INDArray expected = Nd4j.createFromArray(new double[][][][] {{{{0, 1}, {2, 3}}, {{4, 5}, {6, 7}}}});
    assertEquals(expected, shuffleOnly(2, 8, 1, 1).outputSingle(in));
  }

  @ParameterizedTest(name = "r={0}")
  @ValueSource(ints = {2, 3})
  void everyElementFollowsPytorchIndexFormulaForwardAndBackward(int r) {
    int c = 2;
    int h = 3;
    int w = 4;
    // Unique values: in[n, k, y, x] = 10000*n + 100*k + 10*y + x.
    INDArray in = Nd4j.create(DataType.DOUBLE, 2, c * r * r, h, w);
    for (int n = 0; n < 2; n++) {
      for (int k = 0; k < c * r * r; k++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            in.putScalar(new long[] {n, k, y, x}, 10000 * n + 100 * k + 10 * y + x);
          }
        }
      }
    }
    InputGradientGraph g = shuffleOnly(r, c * r * r, h, w);
    INDArray out = g.forwardTrain(in)[0];
    assertArrayEquals(new long[] {2, c, h * r, w * r}, out.shape());
    INDArray dLdOut = uniform(DataType.DOUBLE, out.shape());
    INDArray dLdIn = g.backpropWithInputGradients(dLdOut).inputs()[0];
    assertArrayEquals(in.shape(), dLdIn.shape());
    for (int n = 0; n < 2; n++) {
      for (int ch = 0; ch < c; ch++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            for (int i = 0; i < r; i++) {
              for (int j = 0; j < r; j++) {
                long[] src = {n, ch * r * r + i * r + j, y, x};
                long[] dst = {n, ch, y * r + i, x * r + j};
                assertEquals(in.getDouble(src), out.getDouble(dst), "forward " + src[1]);
                assertEquals(dLdOut.getDouble(dst), dLdIn.getDouble(src), "backward " + src[1]);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void outputTypeAndValidation() {
    InputType out = new PixelShuffle(3).getOutputType(0, InputType.convolutional(5, 7, 18));
    assertEquals(InputType.convolutional(15, 21, 2), out);
    assertThrows(InvalidInputTypeException.class,
        () -> new PixelShuffle(2).getOutputType(0, InputType.convolutional(5, 7, 6)));
    assertThrows(IllegalArgumentException.class, () -> new PixelShuffle(0));
  }

  @ParameterizedTest(name = "r={0}")
  @ValueSource(ints = {2, 3})
  void gradientCheckThroughConvolutions(int r) {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
          .seed(4).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
          .graphBuilder()
          .addInputs("in")
          .addLayer("pre", new FastConv2D.Builder(1).nOut(2 * r * r).activation(new ActivationTanH())
              .build(), "in")
          .addVertex("ps", new PixelShuffle(r), "pre")
          .addLayer("post", new FastConv2D.Builder(3).nOut(1).activation(new ActivationTanH()).build(),
              "ps")
          .addLayer("loss", new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE)
              .activation(Activation.IDENTITY).build(), "post")
          .setOutputs("loss")
          .setInputTypes(InputType.convolutional(3, 2, 2))
          .build();
      ComputationGraph graph = new ComputationGraph(conf);
      graph.init();
      Nd4j.getRandom().setSeed(8);
      INDArray input = uniform(DataType.DOUBLE, 2, 2, 3, 2);
      assertGradientsOk(graph, input, uniform(DataType.DOUBLE, 2, 1, 3 * r, 2 * r));
    } finally {
      Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }
  }
}
