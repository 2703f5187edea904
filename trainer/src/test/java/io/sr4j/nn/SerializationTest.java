package io.sr4j.nn;

import static io.sr4j.nn.NnTestSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * ModelSerializer round trip of a graph with every FastConv2D padding mode, a no-bias layer, PixelShuffle and
 * KaimingNormalScaled: same configuration, parameters, outputs, and (with the saved Adam state) the same next
 * training step.
 */
class SerializationTest {

  @TempDir
  Path dir;

  private static ComputationGraph graph() {
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(17).dataType(DataType.FLOAT).updater(new Adam(1e-3))
        .weightInit(new KaimingNormalScaled(0.1))
        .graphBuilder()
        .addInputs("in")
        .addLayer("rep", new FastConv2D.Builder(5).paddingMode(FastConv2D.Padding.REPLICATE).nOut(4)
            .activation(new ActivationLReLU(0.2)).build(), "in")
        .addLayer("down", new FastConv2D.Builder(4).stride(2, 2).padding(1, 1).nOut(8).build(), "rep")
        .addLayer("same", new FastConv2D.Builder(3).hasBias(false).nOut(8).build(), "down")
        .addVertex("up", new PixelShuffle(2), "same")
        .addLayer("loss", new CnnLossLayer.Builder(LossFunctions.LossFunction.L1)
            .activation(Activation.IDENTITY).build(), "up")
        .setOutputs("loss")
        .setInputTypes(InputType.convolutional(8, 6, 3))
        .build();
    ComputationGraph g = new ComputationGraph(conf);
    g.init();
    return g;
  }

  @Test
  void roundTripKeepsConfigurationParametersOutputsAndUpdaterState() throws IOException {
    ComputationGraph original = graph();
    Nd4j.getRandom().setSeed(5);
    MultiDataSet data = new MultiDataSet(uniform(DataType.FLOAT, 2, 3, 8, 6), uniform(DataType.FLOAT, 2, 2, 8, 6));
    original.fit(data);

    File file = dir.resolve("graph.zip").toFile();
    ModelSerializer.writeModel(original, file, true);
    ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);

    assertEquals(original.getConfiguration(), restored.getConfiguration());
    assertInstanceOf(FastConv2DLayer.class, restored.getLayer("rep"));
    assertInstanceOf(PixelShuffleVertex.class, restored.getVertex("up"));
    assertEquals(original.params(), restored.params());
    INDArray x = uniform(DataType.FLOAT, 3, 3, 10, 14);
    assertEquals(original.outputSingle(x), restored.outputSingle(x));

    original.fit(data);
    restored.fit(data);
    assertEquals(original.params(), restored.params());
  }
}
