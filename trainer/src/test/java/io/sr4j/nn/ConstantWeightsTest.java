package io.sr4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A graph whose parameters are declared constant reorders its convolution weights into oneDNN's layouts once, not on
 * every forward pass, with the same outputs and input gradients; parameters set through setParams are picked up.
 */
class ConstantWeightsTest {

  private static InputGradientGraph graph() {
    return InputGradientGraph.create(new NeuralNetConfiguration.Builder()
        .seed(4).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER)
        .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE)
        .graphBuilder().addInputs("in")
        .addLayer("c1", new FastConv2D.Builder(3).nOut(32).activation(new ActivationLReLU(0.2)).build(), "in")
        .addLayer("c2", new FastConv2D.Builder(3).nOut(32).build(), "c1")
        .setOutputs("c2").setInputTypes(InputType.convolutional(12, 12, 32)).build());
  }

  private static long reorders(InputGradientGraph g) {
    return ((FastConv2DLayer) g.getLayer("c1")).weightReorders() + ((FastConv2DLayer) g.getLayer("c2")).weightReorders();
  }

  @Test
  void constantWeightsAreReorderedOnceWithTheSameResults() {
    InputGradientGraph plain = graph();
    InputGradientGraph constant = graph();
    constant.declareConstantParameters();
    Nd4j.getRandom().setSeed(8);
    INDArray x = Nd4j.rand(DataType.FLOAT, 2, 32, 12, 12);
    INDArray dOut = Nd4j.rand(DataType.FLOAT, 2, 32, 12, 12);
    for (int pass = 0; pass < 3; pass++) {
      INDArray expected = plain.forwardTrain(x)[0];
      INDArray[] expectedGrad = plain.inputGradients(dOut);
      assertEquals(expected, constant.forwardTrain(x)[0], "output, pass " + pass);
      assertEquals(expectedGrad[0], constant.inputGradients(dOut)[0], "input gradient, pass " + pass);
    }
    assertTrue(reorders(plain) >= 3 * 2, "oneDNN wants these weights in another layout (" + reorders(plain) + ")");
    long once = reorders(constant);
    assertTrue(once < reorders(plain), "constant: " + once + " reorders, plain: " + reorders(plain));

    INDArray replaced = constant.params().mul(0.5); // written into the parameter array by setParams: picked up
    constant.setParams(replaced);
    plain.setParams(replaced.dup());
    assertEquals(plain.forwardTrain(x)[0], constant.forwardTrain(x)[0], "output after new parameters");
    assertTrue(reorders(constant) > once, "the new weights were reordered");
  }
}
