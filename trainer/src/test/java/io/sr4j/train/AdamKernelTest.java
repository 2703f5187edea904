package io.sr4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/** AdamKernel against ND4J's Adam (libnd4j's adam_updater op): updates and both moments equal to the bit. */
class AdamKernelTest {
  /** Parameters of the updater block: not a multiple of the chunk size. */
  private static final int N = 3 * 8192 + 77;

  /** An updater on a state view at an offset of a larger state array, as DL4J's updater blocks have them. */
  private static AdamUpdater updater(Adam config, INDArray stateArray, long offset) {
    return (AdamUpdater) config.instantiate(
        stateArray.get(NDArrayIndex.interval(0, 1), NDArrayIndex.interval(offset, offset + 2L * N)), true);
  }

  /** Gradient values over many scales, with zeros and values whose products fall below float's normal range. */
  private static INDArray values(double scale) {
    INDArray g = Nd4j.randn(DataType.FLOAT, N).muli(scale);
    g.get(NDArrayIndex.interval(0, 100)).assign(0);
    g.get(NDArrayIndex.interval(100, 200)).muli(1e-30);
    return g;
  }

  /** {@code values} in a gradient view at an offset of the flat gradient array {@code flat}. */
  private static INDArray gradient(INDArray flat, INDArray values) {
    return flat.get(NDArrayIndex.interval(5, 5 + N)).assign(values);
  }

  @ParameterizedTest(name = "lr {0}, beta2 {1}")
  @CsvSource({"2e-4, 0.99", "1e-2, 0.999", "0, 0.99"})
  void sameUpdatesAndMomentsAsNd4jsAdamOverManyIterations(double lr, double beta2) {
    Adam config = new Adam(lr, 0.9, beta2, 1e-8);
    INDArray state = Nd4j.zeros(DataType.FLOAT, 1, 2L * N + 10);
    INDArray expectedState = state.dup();
    AdamUpdater kernel = updater(config, state, 3);
    AdamUpdater nd4j = updater(config, expectedState, 3);
    INDArray flat = Nd4j.zeros(DataType.FLOAT, N + 9);
    INDArray expectedFlat = flat.dup();
    int[] iterations = {0, 1, 2, 7, 999, 123_456, 20_000_000};
    double[] scales = {1e-3, 10, 1e-6, 1, 1e3, 0.1, 1e-2};
    for (int k = 0; k < iterations.length; k++) {
      INDArray values = values(scales[k]);
      INDArray g = gradient(flat, values);
      INDArray expected = gradient(expectedFlat, values);
      assertTrue(AdamKernel.handles(kernel, g));
      AdamKernel.apply(kernel, g, iterations[k], 0);
      nd4j.applyUpdater(expected, iterations[k], 0);
      assertArrayEquals(expectedFlat.toFloatVector(), flat.toFloatVector(), "updates, iteration " + iterations[k]);
      assertArrayEquals(expectedState.toFloatVector(), state.toFloatVector(), "moments, iteration " + iterations[k]);
    }
  }

  @Test
  void learningRateScheduleIsAppliedAtTheIterationAndEpoch() {
    Adam config = new Adam(new StepSchedule(ScheduleType.EPOCH, 1e-3, 0.5, 1));
    INDArray state = Nd4j.zeros(DataType.FLOAT, 1, 2L * N);
    INDArray expectedState = state.dup();
    AdamUpdater kernel = updater(config, state, 0);
    AdamUpdater nd4j = updater(config, expectedState, 0);
    INDArray flat = Nd4j.zeros(DataType.FLOAT, N + 5);
    INDArray expectedFlat = flat.dup();
    for (int epoch = 0; epoch < 3; epoch++) {
      INDArray values = values(1);
      AdamKernel.apply(kernel, gradient(flat, values), 10 + epoch, epoch);
      nd4j.applyUpdater(gradient(expectedFlat, values), 10 + epoch, epoch);
      assertArrayEquals(expectedFlat.toFloatVector(), flat.toFloatVector(), "updates, epoch " + epoch);
    }
  }

  @Test
  void otherUpdatersTypesAndLayoutsGoToNd4j() {
    INDArray state = Nd4j.zeros(DataType.FLOAT, 1, 2L * N);
    AdamUpdater adam = updater(new Adam(1e-3), state, 0);
    INDArray g = Nd4j.zeros(DataType.FLOAT, 1, N);
    assertTrue(AdamKernel.handles(adam, g));
    assertFalse(AdamKernel.handles(adam, Nd4j.zeros(DataType.DOUBLE, 1, N)), "double gradient");
    assertFalse(AdamKernel.handles(adam, Nd4j.zeros(DataType.FLOAT, 1, N + 1)), "other length");
    assertFalse(AdamKernel.handles(adam, Nd4j.zeros(DataType.FLOAT, N, 2).get(NDArrayIndex.all(),
        NDArrayIndex.point(0))), "strided view");
    GradientUpdater<?> nesterovs = new Nesterovs(0.1).instantiate(Nd4j.zeros(DataType.FLOAT, 1, N), true);
    assertFalse(AdamKernel.handles(nesterovs, g), "not Adam");
  }
}
