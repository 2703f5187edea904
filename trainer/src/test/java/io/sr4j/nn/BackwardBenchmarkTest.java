package io.sr4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** BackwardBenchmark on a tiny graph: it runs both backward kinds and reports consistent numbers. */
class BackwardBenchmarkTest {

  private static InputGradientGraph tiny() {
    return InputGradientGraph.create(new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
        .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE)
        .graphBuilder().addInputs("in")
        .addLayer("c1", new FastConv2D.Builder(3).nOut(8).build(), "in")
        .addLayer("c2", new FastConv2D.Builder(3).nOut(2).build(), "c1")
        .setOutputs("c2").setInputTypes(InputType.convolutional(8, 8, 3)).build());
  }

  @Test
  void reportsMediansOfBothBackwardKinds() {
    BackwardBenchmark.Result r = BackwardBenchmark.run(tiny(), BackwardBenchmark.randomImages(2, 3, 8, 8), 1, 3);
    assertArrayEquals(new long[] {2, 3, 8, 8}, r.input());
    assertEquals(3, r.timedIterations());
    assertTrue(r.forwardMs() > 0 && r.fullBackwardMs() > 0 && r.frozenBackwardMs() > 0);
    assertEquals(r.fullBackwardMs() / r.frozenBackwardMs(), r.speedup(), 1e-12);
  }

  @Test
  void rejectsBadIterationCounts() {
    assertThrows(IllegalArgumentException.class,
        () -> BackwardBenchmark.run(tiny(), BackwardBenchmark.randomImages(1, 3, 8, 8), 0, 0));
  }
}
