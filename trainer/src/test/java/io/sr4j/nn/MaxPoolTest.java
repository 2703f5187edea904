package io.sr4j.nn;

import static io.sr4j.nn.NnTestSupport.assertGradientsOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** MaxPool: oneDNN against libnd4j's ops (what DL4J's SubsamplingLayer runs) and a direct reference. */
class MaxPoolTest {
  @AfterEach
  void defaultKernels() {
    System.clearProperty(DnnlConvolution.PROPERTY);
  }

  /** input -> MaxPool, float, no workspaces (as the project's training graphs). */
  private static InputGradientGraph pool(int kernel, int stride, long c, long h, long w) {
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
        .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE)
        .graphBuilder().addInputs("in").addVertex("pool", new MaxPool(kernel, stride), "in").setOutputs("pool")
        .setInputTypes(InputType.convolutional(h, w, c)).build();
    return InputGradientGraph.create(conf);
  }

  /** Output and dL/dInput for dL/dOutput {@code dOut}, with the kernels chosen by {@code mode}. */
  private static INDArray[] run(String mode, InputGradientGraph g, INDArray x, INDArray dOut) {
    System.setProperty(DnnlConvolution.PROPERTY, mode);
    INDArray y = g.forwardTrain(x)[0].dup();
    INDArray dx = g.backpropWithInputGradients(dOut).inputs()[0];
    return new INDArray[] {y, dx};
  }

  /** Max over each window, and dL/dOut routed to the window's maximum, computed directly. */
  private static INDArray[] reference(INDArray x, INDArray dOut, int k, int s) {
    INDArray y = Nd4j.create(DataType.FLOAT, dOut.shape());
    INDArray dx = Nd4j.zeros(DataType.FLOAT, x.shape());
    for (int n = 0; n < x.size(0); n++) {
      for (int c = 0; c < x.size(1); c++) {
        for (int i = 0; i < y.size(2); i++) {
          for (int j = 0; j < y.size(3); j++) {
            float best = Float.NEGATIVE_INFINITY;
            int bi = -1;
            int bj = -1;
            for (int a = 0; a < k; a++) {
              for (int b = 0; b < k; b++) {
                float v = x.getFloat(n, c, i * s + a, j * s + b);
                if (v > best) {
                  best = v;
                  bi = i * s + a;
                  bj = j * s + b;
                }
              }
            }
            y.putScalar(new long[] {n, c, i, j}, best);
            dx.putScalar(new long[] {n, c, bi, bj}, dx.getFloat(n, c, bi, bj) + dOut.getFloat(n, c, i, j));
          }
        }
      }
    }
    return new INDArray[] {y, dx};
  }

  @ParameterizedTest(name = "{0}x{0} stride {1} on {2}x{3}x{4}x{5}")
  @CsvSource({"2, 2, 4, 8, 10, 12", "2, 2, 2, 5, 9, 7", "3, 2, 2, 3, 13, 11", "3, 2, 1, 4, 10, 8"})
  void onednnAndLibnd4jGiveTheReferenceValuesAndGradients(int k, int s, long n, long c, long h, long w) {
    InputGradientGraph g = pool(k, s, c, h, w);
    Nd4j.getRandom().setSeed(7);
    INDArray dOut = Nd4j.rand(DataType.FLOAT, n, c, (h - k) / s + 1, (w - k) / s + 1).subi(0.5f);
    // two passes per path: the second reuses the first's workspace memory
    for (int pass = 0; pass < 2; pass++) {
      INDArray x = Nd4j.rand(DataType.FLOAT, n, c, h, w).subi(0.5f);
      INDArray[] expected = reference(x, dOut, k, s);
      for (String mode : new String[] {"auto", "libnd4j"}) {
        INDArray[] got = run(mode, g, x, dOut);
        assertEquals(expected[0], got[0], mode + ", pass " + pass + ": output");
        assertEquals(expected[1], got[1], mode + ", pass " + pass + ": input gradient");
      }
    }
  }

  @Test
  void onePassBackpropagatesTwiceWithTheSameResult() {
    InputGradientGraph g = pool(2, 2, 3, 8, 8);
    Nd4j.getRandom().setSeed(3);
    INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 8, 8);
    INDArray dOut = Nd4j.rand(DataType.FLOAT, 2, 3, 4, 4);
    g.forwardTrain(x);
    INDArray first = g.inputGradientsKeepingState(dOut)[0];
    INDArray second = g.backpropWithInputGradients(dOut).inputs()[0];
    assertEquals(first, second);
    assertEquals(reference(x, dOut, 2, 2)[1], second);
  }

  @Test
  void backpropWithoutATrainingPassIsRefused() {
    InputGradientGraph g = pool(2, 2, 1, 4, 4);
    INDArray x = Nd4j.rand(DataType.FLOAT, 1, 1, 4, 4);
    g.output(x);
    MaxPoolVertex v = assertInstanceOf(MaxPoolVertex.class, g.getVertex("pool"));
    v.setInputs(new INDArray[] {x});
    v.setEpsilon(Nd4j.ones(DataType.FLOAT, 1, 1, 2, 2));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> v.doBackward(false, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces()));
    assertEquals("MaxPool pool: backprop needs a training-mode forward pass", e.getMessage());
  }

  @Test
  void configurationSurvivesJson() {
    ComputationGraphConfiguration conf = pool(3, 2, 2, 9, 9).getConfiguration();
    ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
    assertEquals(new MaxPool(3, 2), back.getVertices().get("pool"));
    assertEquals(conf, back);
  }

  @Test
  void windowLargerThanTheInputIsRefused() {
    assertThrows(org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException.class, () -> pool(3, 2, 1, 2, 5));
    assertThrows(IllegalArgumentException.class, () -> new MaxPool(0, 1));
  }

  /** conv -> MaxPool -> conv -> MSE in double (libnd4j's kernels): finite differences agree with backprop. */
  @Test
  void gradientCheckInDouble() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
          .seed(3).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
          .graphBuilder().addInputs("in")
          .addLayer("pre", new FastConv2D.Builder(1).nOut(3).activation(new ActivationTanH()).build(), "in")
          .addVertex("pool", new MaxPool(3, 2), "pre")
          .addLayer("post", new FastConv2D.Builder(1).nOut(2).activation(new ActivationTanH()).build(), "pool")
          .addLayer("loss", new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE)
              .activation(new ActivationIdentity()).build(), "post")
          .setOutputs("loss").setInputTypes(InputType.convolutional(7, 9, 2)).build();
      ComputationGraph g = new ComputationGraph(conf);
      g.init();
      Nd4j.getRandom().setSeed(5);
      assertGradientsOk(g, NnTestSupport.uniform(DataType.DOUBLE, 2, 2, 7, 9),
          NnTestSupport.uniform(DataType.DOUBLE, 2, 2, 3, 4));
    } finally {
      Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }
  }
}
