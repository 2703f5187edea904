package io.sr4j.nn;

import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times a graph's training-mode forward pass, its full backward ({@link InputGradientGraph#backpropWithInputGradients}:
 * parameter and input gradients) and its frozen backward ({@link InputGradientGraph#inputGradients}: input gradient
 * only), alternating full and frozen iterations, for a fixed input and fixed dL/dOutput. Each number is the median
 * over the timed iterations; the garbage collector runs between iterations (untimed), as in training.
 */
public final class BackwardBenchmark {

  private BackwardBenchmark() {
  }

  /**
   * Result: median milliseconds of a forward pass, a full backward and a frozen backward.
   *
   * @param input shape of the input batch [N, C, H, W]
   */
  public record Result(long[] input, int warmupIterations, int timedIterations, double forwardMs,
      double fullBackwardMs, double frozenBackwardMs) {

    /** fullBackwardMs / frozenBackwardMs. */
    public double speedup() {
      return fullBackwardMs / frozenBackwardMs;
    }
  }

  /**
   * @param graph            a single-input graph
   * @param input            its input batch
   * @param warmupIterations untimed full + frozen iterations (>= 0)
   * @param timedIterations  timed full + frozen iterations (>= 1)
   */
  public static Result run(InputGradientGraph graph, INDArray input, int warmupIterations, int timedIterations) {
    if (warmupIterations < 0 || timedIterations < 1) {
      throw new IllegalArgumentException("need warmupIterations >= 0 and timedIterations >= 1, got "
          + warmupIterations + ", " + timedIterations);
    }
    INDArray[] out = graph.forwardTrain(input);
    Nd4j.getRandom().setSeed(1);
    INDArray[] dLdOut = new INDArray[out.length];
    for (int i = 0; i < out.length; i++) {
      dLdOut[i] = Nd4j.rand(out[i].dataType(), out[i].shape()).subi(0.5);
    }
    graph.clearLayersStates();
    double[] forward = new double[2 * timedIterations];
    double[] full = new double[timedIterations];
    double[] frozen = new double[timedIterations];
    for (int i = -warmupIterations; i < timedIterations; i++) {
      for (boolean isFrozen : new boolean[] {false, true}) {
        MemoryReclaim.afterStep();
        long t0 = System.nanoTime();
        graph.forwardTrain(input);
        long t1 = System.nanoTime();
        if (isFrozen) {
          graph.inputGradients(dLdOut);
        } else {
          graph.backpropWithInputGradients(dLdOut);
        }
        long t2 = System.nanoTime();
        if (i >= 0) {
          forward[2 * i + (isFrozen ? 1 : 0)] = (t1 - t0) / 1e6;
          (isFrozen ? frozen : full)[i] = (t2 - t1) / 1e6;
        }
      }
    }
    return new Result(input.shape(), warmupIterations, timedIterations, median(forward), median(full),
        median(frozen));
  }

  /** A uniform [0, 1) float batch [n, c, h, w], seeded. */
  public static INDArray randomImages(long n, long c, long h, long w) {
    Nd4j.getRandom().setSeed(7);
    return Nd4j.rand(DataType.FLOAT, n, c, h, w);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int mid = s.length / 2;
    return s.length % 2 == 1 ? s[mid] : 0.5 * (s[mid - 1] + s[mid]);
  }
}
