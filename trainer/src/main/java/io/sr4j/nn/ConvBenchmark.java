package io.sr4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times the convolution kernels behind {@link FastConv2D}, float, per pass, on the shapes of the zoo: this project's
 * oneDNN primitives ({@link DnnlConvolution}: forward, backward-data, backward-weights, and the whole backward in one
 * call) and libnd4j's ops ({@code conv2d}, {@code deconv2d} with the same weights for the input gradient alone,
 * {@code conv2d_bp} for both gradients; libnd4j has no weight-gradient-only op). The oneDNN primitives read and
 * write the activations in the layouts of the case (NCHW or nChw16c, reordered where the primitive prefers another);
 * libnd4j's ops always NCHW. Arrays are allocated once per shape; every timed call writes into them. Each number is
 * the median of the timed calls.
 *
 * <p>FLOPs of one pass (forward, backward-data or backward-weights) are {@code 2*N*Cout*outH*outW*Cin*kH*kW};
 * fwd+bwd GFLOP/s count three passes over the time of a forward plus a whole backward.
 */
public final class ConvBenchmark {

  private ConvBenchmark() {
  }

  /**
   * A convolution of the zoo: group ("reference", "rrdb", "vgg19", "vgg128d", "srcnn"), name, input [n, inC, h, w],
   * outC, kernel, stride, zero padding per side, bias, whether the input gradient is needed (not for a network's
   * first layer), and whether its input / output activations are in the blocked layout nChw16c, as the zoo's
   * networks run it ({@link BlockedLayouts}), rather than NCHW.
   */
  public record Case(String group, String name, int n, int inC, int h, int w, int outC, int kernel, int stride,
      int pad, boolean bias, boolean inputGradient, boolean blockedSrc, boolean blockedDst) {

    int outH() {
      return (h + 2 * pad - kernel) / stride + 1;
    }

    int outW() {
      return (w + 2 * pad - kernel) / stride + 1;
    }

    /** FLOPs of one pass. */
    public double flopsPerPass() {
      return 2.0 * n * outC * outH() * outW() * inC * kernel * kernel;
    }

    String describe() {
      return String.format(Locale.ROOT, "%dx%d%s %d->%d, %dx%dx%dx%d", kernel, kernel,
          stride == 1 ? "" : " s" + stride, inC, outC, n, inC, h, w);
    }
  }

  /**
   * The zoo's convolutions, with the activation layouts its networks run them with: the 16x64x32x32 reference (blocked
   * as between RRDBNet's 64->64 convolutions, and NCHW), RRDBNet, VGG-19 at 128 px (ESRGAN's conv5_4 features: NCHW
   * around the poolings), VGG-128 D (NCHW around its BatchNorms), SRCNN 9-1-5.
   */
  public static List<Case> zooCases() {
    List<Case> c = new ArrayList<>();
    c.add(new Case("reference", "3x3 64->64", 16, 64, 32, 32, 64, 3, 1, 1, true, true, true, true));
    c.add(new Case("reference", "3x3 64->64 NCHW", 16, 64, 32, 32, 64, 3, 1, 1, true, true, false, false));
    c.add(new Case("rrdb", "conv_first 3->64 @32", 4, 3, 32, 32, 64, 3, 1, 1, true, false, false, true));
    int[][] rrdb = {{64, 32}, {96, 32}, {128, 32}, {160, 32}, {192, 64}};
    for (int[] io : rrdb) {
      c.add(new Case("rrdb", "RDB conv " + io[0] + "->" + io[1], 4, io[0], 32, 32, io[1], 3, 1, 1, true, true,
          true, true));
    }
    c.add(new Case("rrdb", "conv_up 64->64 @64", 4, 64, 64, 64, 64, 3, 1, 1, true, true, true, true));
    c.add(new Case("rrdb", "conv_up/hr 64->64 @128", 4, 64, 128, 128, 64, 3, 1, 1, true, true, true, true));
    c.add(new Case("rrdb", "conv_last 64->3 @128", 4, 64, 128, 128, 3, 3, 1, 1, true, true, true, false));
    // {inC, outC, size, blocked input, blocked output}: the first convolution of a stage reads a pooling's output,
    // the last one feeds a pooling (or is the requested conv5_4)
    int[][] vgg = {{3, 64, 128, 0, 1}, {64, 64, 128, 1, 0}, {64, 128, 64, 0, 1}, {128, 128, 64, 1, 0},
        {128, 256, 32, 0, 1}, {256, 256, 32, 1, 1}, {256, 512, 16, 0, 1}, {512, 512, 16, 1, 1}, {512, 512, 8, 1, 1}};
    for (int[] v : vgg) {
      c.add(new Case("vgg19", "VGG-19 " + v[0] + "->" + v[1] + " @" + v[2], 4, v[0], v[2], v[2], v[1], 3, 1, 1,
          true, true, v[3] == 1, v[4] == 1));
    }
    int[][] d = {{64, 128}, {128, 64}, {256, 32}, {512, 16}, {512, 8}};
    for (int[] v : d) {
      // only the first strided convolution reads a convolution's output; each feeds a BatchNorm
      c.add(new Case("vgg128d", "D 4x4 s2 " + v[0] + " @" + v[1], 4, v[0], v[1], v[1], v[0], 4, 2, 1, false,
          true, v[1] == 128, false));
    }
    c.add(new Case("srcnn", "SRCNN 9x9 1->64 (first)", 128, 1, 33, 33, 64, 9, 1, 0, true, false, false, true));
    c.add(new Case("srcnn", "SRCNN 1x1 64->32", 128, 64, 25, 25, 32, 1, 1, 0, true, true, true, true));
    c.add(new Case("srcnn", "SRCNN 5x5 32->1", 128, 32, 25, 25, 1, 5, 1, 0, true, true, true, false));
    return c;
  }

  /**
   * Median milliseconds per call. New path: fwd, bwd-data, bwd-weights, bwd (both gradients in one call). libnd4j:
   * fwd, bwd-data ({@code deconv2d}), bwd ({@code conv2d_bp}). Passes a case does not need (the input
   * gradient of a first layer) are NaN.
   */
  public record Row(Case conv, double flopsPerPass, double newFwdMs, double newBwdDataMs, double newBwdWeightsMs,
      double newBwdMs, double newGflops, double libFwdMs, double libBwdDataMs, double libBwdMs, double libGflops,
      String implementations) {
  }

  /** Result of {@link #run}: settings and one row per case. */
  public record Result(String dataType, int threads, int warmupIterations, int timedIterations, List<Row> rows) {
  }

  /**
   * Benchmarks {@code cases} (float).
   *
   * @param warmupIterations untimed calls per pass before timing (>= 0)
   * @param timedIterations  timed calls per pass (>= 1); the median is reported
   * @param withLibnd4j      also time libnd4j's ops
   */
  public static Result run(List<Case> cases, int warmupIterations, int timedIterations, boolean withLibnd4j) {
    if (warmupIterations < 0 || timedIterations < 1) {
      throw new IllegalArgumentException("need warmupIterations >= 0 and timedIterations >= 1, got "
          + warmupIterations + ", " + timedIterations);
    }
    List<Row> rows = new ArrayList<>();
    for (Case c : cases) {
      rows.add(measure(c, warmupIterations, timedIterations, withLibnd4j));
    }
    return new Result(DataType.FLOAT.name(), Nd4j.getEnvironment().maxThreads(), warmupIterations, timedIterations,
        List.copyOf(rows));
  }

  private static Row measure(Case c, int warmup, int timed, boolean withLibnd4j) {
    Nd4j.getRandom().setSeed(1);
    INDArray x = Nd4j.rand(DataType.FLOAT, c.n(), c.inC(), c.h(), c.w());
    INDArray w = Nd4j.rand(DataType.FLOAT, c.outC(), c.inC(), c.kernel(), c.kernel()).subi(0.5).muli(0.1);
    INDArray b = c.bias() ? Nd4j.rand(DataType.FLOAT, c.outC()) : null;
    INDArray z = Nd4j.create(DataType.FLOAT, c.n(), c.outC(), c.outH(), c.outW());
    INDArray dz = Nd4j.rand(DataType.FLOAT, z.shape()).subi(0.5);
    INDArray dx = Nd4j.create(DataType.FLOAT, x.shape());
    INDArray dw = Nd4j.create(DataType.FLOAT, w.shape());
    INDArray db = c.bias() ? Nd4j.create(DataType.FLOAT, c.outC()) : null;
    INDArray dxOrNull = c.inputGradient() ? dx : null;

    DnnlConvolution.Kernels k = DnnlConvolution.kernels(new DnnlConvolution.ConvShape(c.n(), c.inC(), c.h(),
        c.w(), c.outC(), c.outH(), c.outW(), c.kernel(), c.kernel(), c.stride(), c.stride(), c.pad(), c.pad(),
        c.bias(), Double.NaN, c.blockedSrc(), c.blockedDst()));
    DnnlConvolution.Weights weights = new DnnlConvolution.Weights();
    k.forward(x, w, b, z, weights);
    double fwd = medianMs(() -> k.forward(x, w, b, z, weights), warmup, timed);
    double bwdData = c.inputGradient()
        ? medianMs(() -> k.backward(x, w, dz, dx, null, null, weights), warmup, timed) : Double.NaN;
    double bwdWeights = medianMs(() -> k.backward(x, w, dz, null, dw, db, weights), warmup, timed);
    double bwd = medianMs(() -> k.backward(x, w, dz, dxOrNull, dw, db, weights), warmup, timed);
    double flops = c.flopsPerPass();
    double passes = c.inputGradient() ? 3 : 2;
    double newGflops = passes * flops / ((fwd + bwd) * 1e6);

    double libFwd = Double.NaN;
    double libBwdData = Double.NaN;
    double libBwd = Double.NaN;
    double libGflops = Double.NaN;
    if (withLibnd4j) {
      int[] args = {c.kernel(), c.kernel(), c.stride(), c.stride(), c.pad(), c.pad(), 1, 1, 0, 0, 1};
      DynamicCustomOp forward = (b == null ? DynamicCustomOp.builder("conv2d").addInputs(x, w)
          : DynamicCustomOp.builder("conv2d").addInputs(x, w, b)).addOutputs(z).addIntegerArguments(args).build();
      // what FastConv2D's libnd4j path runs for an input gradient alone (conv2d_input_bp is several times slower)
      DynamicCustomOp inputBp = DynamicCustomOp.builder("deconv2d").addInputs(dz, w).addOutputs(dx)
          .addIntegerArguments(args).build();
      DynamicCustomOp fullBp = (b == null
          ? DynamicCustomOp.builder("conv2d_bp").addInputs(x, w, dz).addOutputs(dx, dw)
          : DynamicCustomOp.builder("conv2d_bp").addInputs(x, w, b, dz).addOutputs(dx, dw, db))
          .addIntegerArguments(args).build();
      libFwd = medianMs(() -> Nd4j.exec(forward), warmup, timed);
      libBwdData = c.inputGradient() ? medianMs(() -> Nd4j.exec(inputBp), warmup, timed) : Double.NaN;
      libBwd = medianMs(() -> Nd4j.exec(fullBp), warmup, timed);
      libGflops = passes * flops / ((libFwd + libBwd) * 1e6);
    }
    return new Row(c, flops, fwd, bwdData, bwdWeights, bwd, newGflops, libFwd, libBwdData, libBwd, libGflops,
        k.implementations());
  }

  private static double medianMs(Runnable call, int warmup, int timed) {
    for (int i = 0; i < warmup; i++) {
      call.run();
    }
    double[] ms = new double[timed];
    for (int i = 0; i < timed; i++) {
      long t0 = System.nanoTime();
      call.run();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    int mid = timed / 2;
    return timed % 2 == 1 ? ms[mid] : 0.5 * (ms[mid - 1] + ms[mid]);
  }
}
