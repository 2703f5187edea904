package io.sr4j.nn;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * Times one training step (training-mode forward pass plus backprop of a fixed dL/dOut, no updater) of a single
 * 3x3 stride-1 SAME convolution with bias, in FLOAT, once with {@link FastConv2D} and once with DL4J's stock
 * {@link ConvolutionLayer} ({@link ConvolutionMode#Same}), each as the only layer of a {@link ComputationGraph}.
 *
 * <p>FLOPs per step are counted as {@code 3 * 2*N*Cout*H*W*Cin*kH*kW} (forward, input gradient, weight gradient).
 * Entry point: {@link #run(int, int)} for the reference workload (16 x 64 x 32 x 32, 64 to 64 channels).
 */
public final class ConvBenchmark {

  /** Kernel size of the benchmarked convolution. */
  public static final int KERNEL = 3;

  private ConvBenchmark() {
  }

  /** Reference workload: batch 16, 64 to 64 channels, 32 x 32. */
  public static ConvBenchmarkResult run(int warmupIterations, int timedIterations) {
    return run(16, 64, 32, 32, warmupIterations, timedIterations);
  }

  /**
   * Benchmarks a {@code channels} to {@code channels} 3x3 convolution on a [batch, channels, height, width] FLOAT
   * input.
   *
   * @param warmupIterations untimed steps before timing, per layer (>= 0)
   * @param timedIterations  timed steps per layer (>= 1); the median is reported
   */
  public static ConvBenchmarkResult run(int batch, int channels, int height, int width, int warmupIterations,
      int timedIterations) {
    if (warmupIterations < 0 || timedIterations < 1) {
      throw new IllegalArgumentException("need warmupIterations >= 0 and timedIterations >= 1, got "
          + warmupIterations + ", " + timedIterations);
    }
    Layer fast = new FastConv2D.Builder(KERNEL).nIn(channels).nOut(channels).hasBias(true)
        .paddingMode(FastConv2D.Padding.SAME).build();
    Layer stock = new ConvolutionLayer.Builder(KERNEL, KERNEL).nIn(channels).nOut(channels).hasBias(true)
        .stride(1, 1).convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build();

    INDArray input = Nd4j.rand(DataType.FLOAT, batch, channels, height, width);
    INDArray dLdOut = Nd4j.rand(DataType.FLOAT, batch, channels, height, width).subi(0.5);

    double fastSeconds = medianStepSeconds(oneLayerGraph(fast, channels, height, width), input, dLdOut,
        warmupIterations, timedIterations);
    double stockSeconds = medianStepSeconds(oneLayerGraph(stock, channels, height, width), input, dLdOut,
        warmupIterations, timedIterations);

    double flops = 3.0 * 2.0 * batch * channels * height * width * channels * KERNEL * KERNEL;
    return new ConvBenchmarkResult(batch, channels, channels, height, width, KERNEL, DataType.FLOAT.name(),
        Nd4j.getEnvironment().maxThreads(), warmupIterations, timedIterations, flops,
        fastSeconds, flops / fastSeconds / 1e9, stockSeconds, flops / stockSeconds / 1e9,
        stockSeconds / fastSeconds);
  }

  private static ComputationGraph oneLayerGraph(Layer conv, int channels, int height, int width) {
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(1).dataType(DataType.FLOAT).updater(new NoOp()).weightInit(WeightInit.RELU)
        .graphBuilder()
        .addInputs("in")
        .addLayer("conv", conv, "in")
        .setOutputs("conv")
        .setInputTypes(InputType.convolutional(height, width, channels))
        .build();
    ComputationGraph graph = new ComputationGraph(conf);
    graph.init();
    return graph;
  }

  /**
   * Median wall time of {@code feedForward(train)} + {@code backpropGradient(dLdOut)} on {@code graph}, a graph
   * with one input and one (non-loss) output.
   */
  static double medianStepSeconds(ComputationGraph graph, INDArray input, INDArray dLdOut, int warmupIterations,
      int timedIterations) {
    INDArray[] in = {input};
    for (int i = 0; i < warmupIterations; i++) {
      step(graph, in, dLdOut);
    }
    double[] seconds = new double[timedIterations];
    for (int i = 0; i < timedIterations; i++) {
      long t0 = System.nanoTime();
      step(graph, in, dLdOut);
      seconds[i] = (System.nanoTime() - t0) / 1e9;
    }
    Arrays.sort(seconds);
    int mid = timedIterations / 2;
    return timedIterations % 2 == 1 ? seconds[mid] : 0.5 * (seconds[mid - 1] + seconds[mid]);
  }

  private static void step(ComputationGraph graph, INDArray[] in, INDArray dLdOut) {
    graph.feedForward(in, true, false);
    graph.backpropGradient(dLdOut);
  }
}
