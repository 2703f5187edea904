package io.sr4j.nn;

import static io.sr4j.nn.NnTestSupport.assertClose;
import static io.sr4j.nn.NnTestSupport.assertGradientsOk;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** ChannelAffine, BilinearUpsample and PureActivation: values, gradient checks, serialisation. */
class SimpleVertexTest {
  @BeforeEach
  void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  @AfterEach
  void floatPrecision() {
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
  }

  /** conv -> vertex -> conv -> MSE loss, so gradients flow through the vertex into parameters on both sides. */
  private static ComputationGraph sandwich(GraphVertex vertex, long channels, int h, int w) {
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(3).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
        .graphBuilder().addInputs("in")
        .addLayer("pre", new FastConv2D.Builder(1).nOut(channels).activation(new ActivationTanH()).build(), "in")
        .addVertex("v", vertex, "pre")
        .addLayer("post", new FastConv2D.Builder(3).nOut(2).activation(new ActivationTanH()).build(), "v")
        .addLayer("loss", new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE).activation(new ActivationIdentity())
            .build(), "post")
        .setOutputs("loss").setInputTypes(InputType.convolutional(h, w, 2)).build();
    ComputationGraph g = new ComputationGraph(conf);
    g.init();
    return g;
  }

  private static INDArray uniform(long... shape) {
    return Nd4j.rand(DataType.DOUBLE, shape).subi(0.5).muli(2);
  }

  @Test
  void channelAffineValuesAndGradients() {
    ChannelAffine affine = new ChannelAffine(new double[] {2, -0.5, 1}, new double[] {0.1, 0, -1});
    ComputationGraph g = sandwich(affine, 3, 4, 5);
    Nd4j.getRandom().setSeed(1);
    assertGradientsOk(g, uniform(2, 2, 4, 5), uniform(2, 2, 4, 5));
    INDArray x = uniform(1, 3, 2, 2);
    ComputationGraph alone = single(affine, 3);
    INDArray y = alone.outputSingle(x);
    assertEquals(x.getDouble(0, 0, 1, 1) * 2 + 0.1, y.getDouble(0, 0, 1, 1), 1e-12);
    assertEquals(x.getDouble(0, 1, 0, 1) * -0.5, y.getDouble(0, 1, 0, 1), 1e-12);
    assertEquals(x.getDouble(0, 2, 1, 0) - 1, y.getDouble(0, 2, 1, 0), 1e-12);
  }

  /** PyTorch: F.interpolate([[1, 2], [3, 4]], scale_factor=2, mode='bilinear', align_corners=False). */
  @Test
  void bilinearMatchesPytorchOnAHandExample() {
    INDArray x = Nd4j.createFromArray(new double[] {1, 2, 3, 4}).reshape(1, 1, 2, 2);
    INDArray expected = Nd4j.createFromArray(new double[] {
      1.0, 1.25, 1.75, 2.0,
      1.5, 1.75, 2.25, 2.5,
      2.5, 2.75, 3.25, 3.5,
      3.0, 3.25, 3.75, 4.0}).reshape(1, 1, 4, 4);
    assertClose(expected, single(new BilinearUpsample(2), 1).outputSingle(x), 1e-12, "bilinear x2");
  }

  @Test
  void bilinearGradients() {
    for (int s : new int[] {2, 3}) {
      ComputationGraph g = sandwich(new BilinearUpsample(s), 2, 3, 4);
      Nd4j.getRandom().setSeed(s);
      assertGradientsOk(g, uniform(2, 2, 3, 4), uniform(2, 2, 3 * s, 4 * s));
    }
  }

  @Test
  void pureActivationGradientsAndInputUntouched() {
    ComputationGraph g = sandwich(new PureActivation(new ActivationLReLU(0.2)), 3, 4, 3);
    Nd4j.getRandom().setSeed(5);
    assertGradientsOk(g, uniform(2, 2, 4, 3), uniform(2, 2, 4, 3));
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
        .graphBuilder().addInputs("in")
        .addLayer("conv", new FastConv2D.Builder(1).nOut(2).weightInit(WeightInit.ONES).hasBias(false).build(), "in")
        .addVertex("relu", new PureActivation(new ActivationReLU()), "conv")
        .setOutputs("conv", "relu").setInputTypes(InputType.convolutional(2, 2, 1)).build();
    ComputationGraph both = new ComputationGraph(conf);
    both.init();
    INDArray[] out = both.output(false, Nd4j.createFromArray(new double[] {-1, 2, -3, 4}).reshape(1, 1, 2, 2));
    assertEquals(-1, out[0].getDouble(0, 0, 0, 0), 0, "pre-activation output survives inference");
    assertEquals(0, out[1].getDouble(0, 0, 0, 0), 0);
  }

  @Test
  void serialisationRoundTrip() throws Exception {
    ComputationGraph g = sandwich(new BilinearUpsample(2), 3, 3, 3);
    java.io.File f = java.io.File.createTempFile("vertices", ".zip");
    f.deleteOnExit();
    ModelSerializer.writeModel(g, f, false);
    ComputationGraph back = ModelSerializer.restoreComputationGraph(f, false);
    INDArray x = uniform(1, 2, 3, 3);
    assertClose(g.outputSingle(x), back.outputSingle(x), 0, "restored output");
    ComputationGraph a = sandwich(new ChannelAffine(new double[] {1, 2, 3}, new double[] {0, 1, 2}), 3, 3, 3);
    ModelSerializer.writeModel(a, f, false);
    assertEquals(a.getConfiguration(), ModelSerializer.restoreComputationGraph(f, false).getConfiguration());
    ComputationGraph p = sandwich(new PureActivation(new ActivationLReLU(0.1)), 3, 3, 3);
    ModelSerializer.writeModel(p, f, false);
    assertEquals(p.getConfiguration(), ModelSerializer.restoreComputationGraph(f, false).getConfiguration());
  }

  private static ComputationGraph single(GraphVertex vertex, long channels) {
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
        .graphBuilder().addInputs("in").addVertex("v", vertex, "in").setOutputs("v")
        .setInputTypes(InputType.convolutional(2, 2, channels)).build();
    ComputationGraph g = new ComputationGraph(conf);
    g.init();
    return g;
  }
}
