package io.sr4j.nn;

import static io.sr4j.nn.NnTestSupport.assertClose;
import static io.sr4j.nn.NnTestSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * BatchNorm (libnd4j batchnorm, closed-form backward) against DL4J's BatchNormalization: outputs in training and inference
 * mode, every gradient (gamma, beta, the running-statistics updates, dL/dInput), the running statistics after
 * optimizer steps; a finite-difference check in double; the compatibility mapping of saved DL4J layers.
 */
class BatchNormTest {

  /** The project's BN settings (PyTorch BatchNorm2d: eps 1e-5, momentum 0.1). */
  private static BatchNormalization dl4jBatchNorm(int channels) {
    return new BatchNormalization.Builder().nIn(channels).nOut(channels).eps(1e-5).decay(0.9).useLogStd(false)
        .activation(new ActivationIdentity()).build();
  }

  /** conv -> BN -> conv, with the given BN layer. */
  private static ComputationGraphConfiguration conf(DataType type, Layer bn) {
    return new NeuralNetConfiguration.Builder()
        .seed(3).dataType(type).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).biasInit(0.1)
        .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE)
        .graphBuilder().addInputs("in")
        .addLayer("c1", new FastConv2D.Builder(3).nOut(6).build(), "in")
        .addLayer("bn", bn, "c1")
        .addLayer("c2", new FastConv2D.Builder(3).nOut(2).activation(new ActivationTanH()).build(), "bn")
        .setOutputs("c2").setInputTypes(InputType.convolutional(7, 6, 3)).build();
  }

  private static InputGradientGraph graph(DataType type, Layer bn) {
    ComputationGraphConfiguration c = conf(type, bn);
    InputGradientGraph g = new InputGradientGraph(c);
    g.init();
    Nd4j.getRandom().setSeed(9);
    // non-trivial running statistics and gamma/beta
    g.params().assign(uniform(DataType.DOUBLE, g.params().shape()).castTo(type).muli(0.5).addi(0.6));
    return g;
  }

  /** A graph with DL4J's own layer, bypassing the mapping InputGradientGraph applies. */
  private static ComputationGraph dl4jGraph(DataType type) {
    ComputationGraph g = new ComputationGraph(conf(type, dl4jBatchNorm(6)).clone());
    g.init();
    return g;
  }

  @Test
  void sameOutputsGradientsAndRunningStatisticsAsDl4j() {
    for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
      double tol = type == DataType.DOUBLE ? 1e-10 : 1e-4;
      InputGradientGraph ours = graph(type, BatchNorm.of(dl4jBatchNorm(6)));
      ComputationGraph theirs = dl4jGraph(type);
      assertInstanceOf(BatchNormLayer.class, ours.getLayer("bn"));
      assertEquals(org.deeplearning4j.nn.layers.normalization.BatchNormalization.class,
          theirs.getLayer("bn").getClass());
      theirs.params().assign(ours.params());

      Nd4j.getRandom().setSeed(5);
      INDArray x = uniform(type, 4, 3, 7, 6);
      assertClose(theirs.output(false, x)[0], ours.output(false, x)[0], tol, type + " inference output");
      for (int step = 0; step < 3; step++) {
        INDArray oursOut = ours.forwardTrain(x)[0];
        INDArray theirsOut = theirs.feedForward(new INDArray[] {x}, true, false).get("c2");
        assertClose(theirsOut, oursOut, tol, type + " training output");
        INDArray dLdOut = uniform(type, oursOut.shape());
        Map<String, INDArray> expected = new TreeMap<>(theirs.backpropGradient(dLdOut).gradientForVariable());
        InputGradientGraph.Gradients actual = ours.backpropWithInputGradients(dLdOut);
        assertEquals(expected.keySet(), new TreeMap<>(actual.parameters().gradientForVariable()).keySet());
        for (String key : expected.keySet()) {
          assertClose(expected.get(key), actual.parameters().gradientForVariable().get(key), tol, type + " " + key);
        }
        // the same optimizer step on both: running statistics, gamma and beta move identically
        ours.getUpdater().update(actual.parameters(), step, 0, 4,
            org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
        ours.params().subi(actual.parameters().gradient());
        org.deeplearning4j.nn.gradient.Gradient g = theirs.gradient();
        theirs.getUpdater().update(g, step, 0, 4, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
        theirs.params().subi(g.gradient());
        assertClose(theirs.params(), ours.params(), tol, type + " parameters after step " + step);
        if (type == DataType.FLOAT) {
          ours.params().assign(theirs.params()); // float rounding differences must not accumulate over steps
        }
      }
      assertClose(theirs.output(false, x)[0], ours.output(false, x)[0], tol, type + " inference after training");
    }
  }

  @Test
  void finiteDifferenceGradientCheckInDouble() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      ComputationGraphConfiguration c = new NeuralNetConfiguration.Builder()
          .seed(4).dataType(DataType.DOUBLE).updater(new org.nd4j.linalg.learning.config.NoOp())
          .weightInit(WeightInit.XAVIER)
          .graphBuilder().addInputs("in")
          .addLayer("c1", new FastConv2D.Builder(3).nOut(4).build(), "in")
          .addLayer("bn", BatchNorm.of(dl4jBatchNorm(4)), "c1")
          .addLayer("c2", new FastConv2D.Builder(1).nOut(2).activation(new ActivationTanH()).build(), "bn")
          .addLayer("loss", new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE)
              .activation(Activation.IDENTITY).build(), "c2")
          .setOutputs("loss").setInputTypes(InputType.convolutional(5, 4, 2)).build();
      ComputationGraph g = new ComputationGraph(c);
      g.init();
      assertInstanceOf(BatchNormLayer.class, g.getLayer("bn"));
      Nd4j.getRandom().setSeed(6);
      INDArray x = uniform(DataType.DOUBLE, 3, 2, 5, 4);
      // The running statistics do not influence a training-mode output; their "gradients" are the update.
      boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
          .inputs(new INDArray[] {x}).labels(new INDArray[] {uniform(DataType.DOUBLE, 3, 2, 5, 4)})
          .excludeParams(Set.of("bn_mean", "bn_var")).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8)
          .exitOnFirstError(false).print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
      assertTrue(ok, "gradient check failed (see log)");
    } finally {
      Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }
  }

  @Test
  void savedDl4jLayersLoadAsBatchNormWithTheSameOutputs() {
    ComputationGraph old = dl4jGraph(DataType.FLOAT);
    Nd4j.getRandom().setSeed(2);
    old.params().assign(uniform(DataType.FLOAT, old.params().shape()).muli(0.5f).addi(0.6f));
    String json = old.getConfiguration().toJson();
    assertTrue(json.contains("\"org.deeplearning4j.nn.conf.layers.BatchNormalization\""), "saved with DL4J's class");

    InputGradientGraph loaded = new InputGradientGraph(ComputationGraphConfiguration.fromJson(json));
    loaded.init(old.params().dup(), false);
    Layer bnConf = ((LayerVertex) loaded.getConfiguration().getVertices().get("bn")).getLayerConf().getLayer();
    assertSame(BatchNorm.class, bnConf.getClass());
    assertInstanceOf(BatchNormLayer.class, loaded.getLayer("bn"));
    assertTrue(loaded.getConfiguration().toJson().contains("\"io.sr4j.nn.BatchNorm\""));
    BatchNormalization original = (BatchNormalization) ((LayerVertex) old.getConfiguration().getVertices()
        .get("bn")).getLayerConf().getLayer();
    assertEquals(original.getEps(), ((BatchNorm) bnConf).getEps());
    assertEquals(original.getDecay(), ((BatchNorm) bnConf).getDecay());
    assertEquals(original.getNOut(), ((BatchNorm) bnConf).getNOut());

    INDArray x = uniform(DataType.FLOAT, 2, 3, 7, 6);
    assertClose(old.output(false, x)[0], loaded.output(false, x)[0], 2e-6, "inference output");
    assertClose(old.feedForward(new INDArray[] {x}, true, false).get("c2"), loaded.forwardTrain(x)[0], 1e-5,
        "training output");

    // A round trip of the upgraded configuration keeps the new class.
    ComputationGraphConfiguration again = ComputationGraphConfiguration.fromJson(loaded.getConfiguration().toJson());
    assertSame(BatchNorm.class,
        ((LayerVertex) again.getVertices().get("bn")).getLayerConf().getLayer().getClass());
  }

  @Test
  void unsupportedSettingsStayDl4jLayersAndAreRejectedByOf() {
    BatchNormalization logStd = new BatchNormalization.Builder().nOut(4).useLogStd(true).build();
    assertThrows(IllegalArgumentException.class, () -> BatchNorm.of(logStd));
    ComputationGraphConfiguration c = conf(DataType.FLOAT, new BatchNormalization.Builder().nIn(6).nOut(6)
        .useLogStd(true).build());
    BatchNorm.upgrade(c);
    assertSame(BatchNormalization.class,
        ((LayerVertex) c.getVertices().get("bn")).getLayerConf().getLayer().getClass());
  }
}
