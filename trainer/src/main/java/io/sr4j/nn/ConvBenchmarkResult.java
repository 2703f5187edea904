package io.sr4j.nn;

/**
 * Result of {@link ConvBenchmark}: workload, settings and, for {@link FastConv2D} ("fast") and DL4J's stock
 * {@code ConvolutionLayer} ("stock"), the median seconds per training step (forward + backward) and the GFLOP/s it
 * corresponds to. Only numbers and strings, for JSON writers.
 *
 * @param batch               N
 * @param inChannels          Cin
 * @param outChannels         Cout
 * @param height              H
 * @param width               W
 * @param kernel              kH = kW
 * @param dataType            ND4J data type name
 * @param threads             ND4J's maximum number of native threads
 * @param warmupIterations    untimed steps per layer
 * @param timedIterations     timed steps per layer
 * @param flopsPerStep        3 * 2*N*Cout*H*W*Cin*kH*kW
 * @param fastMedianSeconds   FastConv2D median seconds per step
 * @param fastGflops          FastConv2D GFLOP/s at the median
 * @param stockMedianSeconds  stock ConvolutionLayer median seconds per step
 * @param stockGflops         stock ConvolutionLayer GFLOP/s at the median
 * @param speedup             stockMedianSeconds / fastMedianSeconds
 */
public record ConvBenchmarkResult(int batch, int inChannels, int outChannels, int height, int width, int kernel,
    String dataType, int threads, int warmupIterations, int timedIterations, double flopsPerStep,
    double fastMedianSeconds, double fastGflops, double stockMedianSeconds, double stockGflops, double speedup) {
}
