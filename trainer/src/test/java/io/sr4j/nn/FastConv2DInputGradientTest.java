package io.sr4j.nn;

import static io.sr4j.nn.NnTestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/** A first layer built with inputGradient(false) gives exactly the parameter gradients of the full backprop. */
class FastConv2DInputGradientTest {
  private static InputGradientGraph graph(boolean inputGradient, int kernel, long inCh, FastConv2D.Padding mode) {
    FastConv2D.Builder first = new FastConv2D.Builder(kernel).nIn(inCh).nOut(5).activation(new ActivationReLU())
        .inputGradient(inputGradient);
    if (mode == FastConv2D.Padding.EXPLICIT) {
      first.padding(0, 0);
    } else {
      first.paddingMode(mode);
    }
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.DOUBLE)
        .updater(new NoOp()).weightInit(WeightInit.XAVIER).biasInit(0.1)
        .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE)
        .graphBuilder().addInputs("in")
        .addLayer("first", first.build(), "in")
        .addLayer("second", new FastConv2D.Builder(3).nIn(5).nOut(2).build(), "first")
        .setOutputs("second").setInputTypes(InputType.convolutional(12, 11, inCh)).build();
    InputGradientGraph g = new InputGradientGraph(conf);
    g.init();
    return g;
  }

  @ParameterizedTest(name = "k={0} C={1} {2}")
  @CsvSource({"9, 1, EXPLICIT", "3, 3, SAME", "5, 1, REPLICATE", "1, 2, SAME"})
  void sameParameterGradientsAsFullBackprop(int kernel, long inCh, FastConv2D.Padding mode) {
    InputGradientGraph full = graph(true, kernel, inCh, mode);
    InputGradientGraph skip = graph(false, kernel, inCh, mode);
    skip.params().assign(full.params());
    Nd4j.getRandom().setSeed(3);
    INDArray x = Nd4j.rand(DataType.DOUBLE, 3, inCh, 12, 11);
    INDArray out = full.forwardTrain(x)[0];
    INDArray r = Nd4j.rand(DataType.DOUBLE, out.shape()).subi(0.5);
    Map<String, INDArray> a = full.backpropGradient(r).gradientForVariable();
    skip.forwardTrain(x);
    Map<String, INDArray> b = skip.backpropGradient(r).gradientForVariable();
    assertEquals(a.keySet(), b.keySet());
    for (String key : a.keySet()) {
      assertClose(a.get(key), b.get(key), 1e-10, key);
    }
  }
}
