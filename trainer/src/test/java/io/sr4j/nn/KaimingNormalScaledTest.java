package io.sr4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** KaimingNormalScaled: std = scale * sqrt(2 / fanIn) with fanIn = nIn*kH*kW, zero mean, JSON round trip. */
class KaimingNormalScaledTest {

  private static void assertStd(INDArray w, double expectedStd, double relTol) {
    double std = w.stdNumber().doubleValue();
    double mean = w.meanNumber().doubleValue();
    assertEquals(expectedStd, std, relTol * expectedStd, "std");
    // Mean of n samples has standard error std/sqrt(n); allow 5 of those.
    assertTrue(Math.abs(mean) < 5 * expectedStd / Math.sqrt(w.length()), "mean " + mean);
  }

  @Test
  void largeTensorHasTargetStd() {
    Nd4j.getRandom().setSeed(1);
    INDArray view = Nd4j.create(DataType.FLOAT, 256L * 64 * 3 * 3);
    INDArray w = new KaimingNormalScaled(0.1).init(64 * 9, 256 * 9, new long[] {256, 64, 3, 3}, 'c', view);
    assertEquals(4, w.rank());
    assertStd(view, 0.1 * Math.sqrt(2.0 / (64 * 9)), 0.02);
  }

  @Test
  void fastConv2DUsesFanInOfInputChannelsTimesKernelArea() {
    // nIn != nOut so that fan-in and fan-out give std values a factor sqrt(2) apart.
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(2).dataType(DataType.FLOAT)
        .graphBuilder()
        .addInputs("in")
        .addLayer("conv", new FastConv2D.Builder(3).nOut(32).weightInit(new KaimingNormalScaled(0.1))
            .build(), "in")
        .setOutputs("conv")
        .setInputTypes(InputType.convolutional(8, 8, 64))
        .build();
    ComputationGraph g = new ComputationGraph(conf);
    g.init();
    assertStd(g.getLayer("conv").getParam("W"), 0.1 * Math.sqrt(2.0 / (64 * 9)), 0.03);
    assertEquals(0.0, g.getLayer("conv").getParam("b").amaxNumber().doubleValue());

    ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(conf.toJson());
    assertEquals(conf, restored);
    assertTrue(conf.toJson().contains(KaimingNormalScaled.class.getName()));
  }

  @Test
  void rejectsNonPositiveScale() {
    assertThrows(IllegalArgumentException.class, () -> new KaimingNormalScaled(0));
    assertThrows(IllegalArgumentException.class, () -> new KaimingNormalScaled(Double.NaN));
  }
}
