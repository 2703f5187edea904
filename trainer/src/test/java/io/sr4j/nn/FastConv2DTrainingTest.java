package io.sr4j.nn;

import static io.sr4j.nn.NnTestSupport.assertClose;
import static io.sr4j.nn.NnTestSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.constraint.MaxNormConstraint;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.weightnoise.DropConnect;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Training with FastConv2D follows the same trajectory as with DL4J's stock ConvolutionLayer (Adam, l1 + l2 on weights,
 * weight decay on biases, a max-norm weight constraint, per-layer gradient clipping, LeakyReLU; 3x3 SAME, 4x4 stride 2
 * pad 1, 1x1), with workspaces enabled and disabled, in FLOAT and DOUBLE; unsupported options fail when the graph is
 * initialised.
 */
class FastConv2DTrainingTest {

  private static final int STEPS = 4;

  /** Graph in -> c1 (3x3 SAME, LReLU) -> c2 (4x4 stride 2 pad 1) -> c3 (1x1) -> MSE, with the given layers. */
  private static ComputationGraph graph(DataType type, WorkspaceMode ws, Layer c1, Layer c2, Layer c3) {
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(5).dataType(type).updater(new Adam(1e-2)).weightInit(WeightInit.XAVIER)
        .l1(1e-4).l2(1e-3).weightDecayBias(1e-2)
        .constrainWeights(new MaxNormConstraint(0.6, 1, 2, 3))
        .gradientNormalization(GradientNormalization.ClipL2PerLayer).gradientNormalizationThreshold(0.5)
        .trainingWorkspaceMode(ws).inferenceWorkspaceMode(ws)
        .graphBuilder()
        .addInputs("in")
        .addLayer("c1", c1, "in")
        .addLayer("c2", c2, "c1")
        .addLayer("c3", c3, "c2")
        .addLayer("loss", new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE)
            .activation(Activation.IDENTITY).build(), "c3")
        .setOutputs("loss")
        .setInputTypes(InputType.convolutional(9, 7, 2))
        .build();
    ComputationGraph g = new ComputationGraph(conf);
    g.init();
    return g;
  }

  private static ComputationGraph fastGraph(DataType type, WorkspaceMode ws) {
    return graph(type, ws,
        new FastConv2D.Builder(3).nOut(4).activation(new ActivationLReLU(0.2)).build(),
        new FastConv2D.Builder(4).stride(2, 2).padding(1, 1).nOut(3).activation(new ActivationLReLU(0.2))
            .build(),
        new FastConv2D.Builder(1).nOut(2).build());
  }

  private static ComputationGraph stockGraph(DataType type, WorkspaceMode ws) {
    return graph(type, ws,
        new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same).nOut(4)
            .activation(new ActivationLReLU(0.2)).build(),
        new ConvolutionLayer.Builder(4, 4).stride(2, 2).padding(1, 1)
            .convolutionMode(ConvolutionMode.Truncate).nOut(3).activation(new ActivationLReLU(0.2))
            .build(),
        new ConvolutionLayer.Builder(1, 1).convolutionMode(ConvolutionMode.Same).nOut(2)
            .activation(Activation.IDENTITY).build());
  }

  @ParameterizedTest(name = "{0}, workspaces {1}")
  @CsvSource({"DOUBLE, ENABLED", "DOUBLE, NONE", "FLOAT, ENABLED", "FLOAT, NONE"})
  void trainsLikeStockConvolutionLayer(DataType type, WorkspaceMode ws) {
    double tol = type == DataType.DOUBLE ? 1e-8 : 1e-4;
    ComputationGraph fast = fastGraph(type, ws);
    ComputationGraph stock = stockGraph(type, ws);
    for (String layer : new String[] {"c1", "c2", "c3"}) {
      stock.getLayer(layer).setParam("W", fast.getLayer(layer).getParam("W"));
      stock.getLayer(layer).setParam("b", fast.getLayer(layer).getParam("b"));
    }
    Nd4j.getRandom().setSeed(9);
    MultiDataSet data = new MultiDataSet(uniform(type, 3, 2, 9, 7), uniform(type, 3, 2, 4, 3));
    for (int i = 0; i < STEPS; i++) {
      fast.fit(data);
      stock.fit(data);
    }
    assertScoreClose(stock.score(data), fast.score(data), tol);
    for (String layer : new String[] {"c1", "c2", "c3"}) {
      for (String p : new String[] {"W", "b"}) {
        assertClose(stock.getLayer(layer).getParam(p), fast.getLayer(layer).getParam(p), tol,
            layer + "_" + p + " after " + STEPS + " Adam steps");
      }
    }
    assertClose(stock.outputSingle(data.getFeatures(0)), fast.outputSingle(data.getFeatures(0)), tol,
        "inference output");
  }

  private static void assertScoreClose(double expected, double actual, double tol) {
    assertClose(Nd4j.scalar(expected), Nd4j.scalar(actual), tol, "score");
  }

  @Test
  void externalErrorsGiveSameParameterGradientsAsStockLayer() {
    ComputationGraph fast = oneLayer(new FastConv2D.Builder(3).nOut(5)
        .activation(new ActivationLReLU(0.2)).build());
    ComputationGraph stock = oneLayer(new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same)
        .nOut(5).activation(new ActivationLReLU(0.2)).build());
    stock.getLayer("conv").setParam("W", fast.getLayer("conv").getParam("W"));
    stock.getLayer("conv").setParam("b", fast.getLayer("conv").getParam("b"));
    INDArray x = uniform(DataType.FLOAT, 4, 3, 10, 6);
    INDArray dLdOut = uniform(DataType.FLOAT, 4, 5, 10, 6);
    fast.feedForward(new INDArray[] {x}, true, false);
    stock.feedForward(new INDArray[] {x}, true, false);
    Gradient gFast = fast.backpropGradient(dLdOut);
    Gradient gStock = stock.backpropGradient(dLdOut);
    for (String key : new String[] {"conv_W", "conv_b"}) {
      assertClose(gStock.getGradientFor(key), gFast.getGradientFor(key), 1e-4, key);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"leakyrelu", "sigmoid"})
  void backpropAfterInferenceForwardRecomputesWhatTheActivationNeeds(String activation) {
    IActivation act = activation.equals("sigmoid") ? new ActivationSigmoid() : new ActivationLReLU(0.2);
    ComputationGraph graph = oneLayer(new FastConv2D.Builder(3).nOut(5).activation(act).build());
    graph.initGradientsView();
    FastConv2DLayer layer = (FastConv2DLayer) graph.getLayer("conv");
    LayerWorkspaceMgr noWs = LayerWorkspaceMgr.noWorkspaces();
    INDArray x = uniform(DataType.FLOAT, 2, 3, 10, 6);
    INDArray dLdOut = uniform(DataType.FLOAT, 2, 5, 10, 6);

    layer.setInput(x, noWs);
    layer.activate(true, noWs);
    Pair<Gradient, INDArray> afterTraining = layer.backpropGradient(dLdOut, noWs);
    INDArray gradAfterTraining = layer.getGradientsViewArray().dup();

    layer.setInput(x, noWs);
    layer.activate(false, noWs);
    Pair<Gradient, INDArray> afterInference = layer.backpropGradient(dLdOut, noWs);
    assertClose(gradAfterTraining, layer.getGradientsViewArray(), 1e-6, "parameter gradients");
    assertClose(afterTraining.getSecond(), afterInference.getSecond(), 1e-6, "dL/dInput");
  }

  private static ComputationGraph oneLayer(Layer conv) {
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(2).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER)
        .graphBuilder()
        .addInputs("in")
        .addLayer("conv", conv, "in")
        .setOutputs("conv")
        .setInputTypes(InputType.convolutional(10, 6, 3))
        .build();
    ComputationGraph g = new ComputationGraph(conf);
    g.init();
    return g;
  }

  @Test
  void dropoutAndWeightNoiseAreRejected() {
    assertThrows(UnsupportedOperationException.class,
        () -> oneLayer(new FastConv2D.Builder(3).nOut(2).dropOut(0.5).build()));
    assertThrows(UnsupportedOperationException.class,
        () -> oneLayer(new FastConv2D.Builder(3).nOut(2).weightNoise(new DropConnect(0.5)).build()));
  }
}
