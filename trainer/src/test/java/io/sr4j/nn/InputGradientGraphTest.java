package io.sr4j.nn;

import static io.sr4j.nn.NnTestSupport.assertClose;
import static io.sr4j.nn.NnTestSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Finite-difference checks of InputGradientGraph's dL/dInput and parameter gradients on a two-input, two-output
 * graph (an input used twice, FastConv2D in SAME / REPLICATE / 1x1 modes, elementwise add, PixelShuffle), with
 * L = sum(G1 * out1) + sum(G2 * out2), so dL/dout_k = G_k.
 */
class InputGradientGraphTest {

  private static final double H = 1e-6;
  private static final double REL_TOL = 1e-6;
  private static final double ABS_TOL = 1e-9;

  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  @AfterAll
  static void restorePrecision() {
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
  }

  private static ComputationGraphConfiguration.GraphBuilder builder(WorkspaceMode ws) {
    return new NeuralNetConfiguration.Builder()
        .seed(21).dataType(DataType.DOUBLE).weightInit(WeightInit.XAVIER).biasInit(0.1)
        .trainingWorkspaceMode(ws).inferenceWorkspaceMode(ws)
        .graphBuilder()
        .addInputs("a", "b")
        .addLayer("ca", new FastConv2D.Builder(3).nOut(4).activation(new ActivationTanH()).build(), "a")
        .addLayer("cb", new FastConv2D.Builder(3).paddingMode(FastConv2D.Padding.REPLICATE).hasBias(false)
            .nOut(4).build(), "b")
        .addVertex("sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), "ca", "cb")
        .addVertex("ps", new PixelShuffle(2), "sum")
        .addLayer("side", new FastConv2D.Builder(1).nOut(2).activation(new ActivationLReLU(0.2)).build(),
            "a")
        .setOutputs("ps", "side")
        .setInputTypes(InputType.convolutional(5, 4, 2), InputType.convolutional(5, 4, 3));
  }

  private static double loss(InputGradientGraph g, INDArray a, INDArray b, INDArray g1, INDArray g2) {
    INDArray[] out = g.output(a, b);
    return out[0].mul(g1).sumNumber().doubleValue() + out[1].mul(g2).sumNumber().doubleValue();
  }

  private static void assertGradient(double analytic, double numeric, String what) {
    double absErr = Math.abs(analytic - numeric);
    double relErr = absErr / Math.max(Math.abs(analytic) + Math.abs(numeric), 1e-300);
    assertTrue(absErr < ABS_TOL || relErr < REL_TOL,
        what + ": analytic " + analytic + " vs numeric " + numeric + " (rel " + relErr + ")");
  }

  @Test
  void inputAndParameterGradientsMatchFiniteDifferences() {
    InputGradientGraph g = InputGradientGraph.create(builder(WorkspaceMode.NONE).build());
    Nd4j.getRandom().setSeed(13);
    INDArray a = uniform(DataType.DOUBLE, 2, 2, 4, 3);
    INDArray b = uniform(DataType.DOUBLE, 2, 3, 4, 3);
    INDArray[] out = g.forwardTrain(a, b);
    INDArray g1 = uniform(DataType.DOUBLE, out[0].shape());
    INDArray g2 = uniform(DataType.DOUBLE, out[1].shape());
    InputGradientGraph.Gradients grads = g.backpropWithInputGradients(g1, g2);
    INDArray paramGrad = grads.parameters().gradient().dup();

    INDArray[] inputs = {a, b};
    for (int k = 0; k < inputs.length; k++) {
      INDArray x = inputs[k];
      INDArray flat = x.reshape(x.length());
      for (long i = 0; i < x.length(); i++) {
        double v = flat.getDouble(i);
        flat.putScalar(i, v + H);
        double plus = loss(g, a, b, g1, g2);
        flat.putScalar(i, v - H);
        double minus = loss(g, a, b, g1, g2);
        flat.putScalar(i, v);
        double analytic = grads.inputs()[k].reshape(x.length()).getDouble(i);
        assertGradient(analytic, (plus - minus) / (2 * H), "dL/d" + (k == 0 ? "a" : "b") + "[" + i + "]");
      }
    }

    INDArray params = g.params();
    assertEquals(params.length(), paramGrad.length());
    for (long i = 0; i < params.length(); i++) {
      double v = params.getDouble(i);
      params.putScalar(i, v + H);
      double plus = loss(g, a, b, g1, g2);
      params.putScalar(i, v - H);
      double minus = loss(g, a, b, g1, g2);
      params.putScalar(i, v);
      assertGradient(paramGrad.getDouble(i), (plus - minus) / (2 * H), "dL/dparam[" + i + "]");
    }
  }

  @Test
  void repeatedCallsGiveIdenticalResults() {
    InputGradientGraph g = InputGradientGraph.create(builder(WorkspaceMode.NONE).build());
    INDArray a = uniform(DataType.DOUBLE, 1, 2, 6, 3);
    INDArray b = uniform(DataType.DOUBLE, 1, 3, 6, 3);
    INDArray[] out = g.forwardTrain(a, b);
    INDArray g1 = uniform(DataType.DOUBLE, out[0].shape());
    INDArray g2 = uniform(DataType.DOUBLE, out[1].shape());
    InputGradientGraph.Gradients first = g.backpropWithInputGradients(g1, g2);
    INDArray firstParams = first.parameters().gradient().dup();
    g.forwardTrain(a, b);
    InputGradientGraph.Gradients second = g.backpropWithInputGradients(g1, g2);
    assertClose(firstParams, second.parameters().gradient(), 0, "parameter gradient");
    assertClose(first.inputs()[0], second.inputs()[0], 0, "dL/da");
    assertClose(first.inputs()[1], second.inputs()[1], 0, "dL/db");
  }

  @Test
  void workspacesMustBeDisabled() {
    assertThrows(IllegalArgumentException.class,
        () -> InputGradientGraph.create(builder(WorkspaceMode.ENABLED).build()));
    ComputationGraphConfiguration mixed = builder(WorkspaceMode.NONE).build();
    mixed.setInferenceWorkspaceMode(WorkspaceMode.ENABLED);
    assertThrows(IllegalArgumentException.class, () -> InputGradientGraph.create(mixed));
  }

  @Test
  void wrongNumberOfOutputGradientsIsRejected() {
    InputGradientGraph g = InputGradientGraph.create(builder(WorkspaceMode.NONE).build());
    INDArray[] out = g.forwardTrain(uniform(DataType.DOUBLE, 1, 2, 5, 4), uniform(DataType.DOUBLE, 1, 3, 5, 4));
    assertThrows(IllegalArgumentException.class, () -> g.backpropWithInputGradients(out[0]));
  }
}
