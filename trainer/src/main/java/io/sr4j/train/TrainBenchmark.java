package io.sr4j.train;

import io.sr4j.config.TrainConfig;
import io.sr4j.data.train.PatchBatch;
import io.sr4j.data.train.PatchSource;
import io.sr4j.data.train.PatchThroughput;
import io.sr4j.data.train.Prefetcher;
import io.sr4j.loss.PixelLoss;
import io.sr4j.nn.FastConv2D;
import io.sr4j.nn.InputGradientGraph;
import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times the training step of a config: median seconds per iteration (data from the configured pipeline through the
 * prefetcher, as in training), the achieved GFLOP/s of the convolutions and dense layers (multiply-adds counted from
 * the layer shapes; forward, input gradient and weight gradient each count once), and the pipeline's own speed.
 */
public final class TrainBenchmark {
  private TrainBenchmark() {}

  /** Result: all plain numbers for JSON. */
  public record Result(String network, int batch, String inputShape, long warmup, long iterations,
      double medianSecondsPerIter, double gflopPerIter, double gflops, double patchesPerSecond,
      double pipelinePatchesPerSecond, int threads) {}

  /** Multiply-adds of one forward pass, from the output shape of every convolution and dense layer. */
  public static long forwardMacs(ComputationGraph g, Map<String, INDArray> activations) {
    long macs = 0;
    for (GraphVertex v : g.getVertices()) {
      if (!v.hasLayer()) {
        continue;
      }
      Object conf = v.getLayer().conf().getLayer();
      INDArray out = activations.get(v.getVertexName());
      if (conf instanceof FastConv2D c) {
        int[] k = c.getKernelSize();
        macs += out.length() * c.getNIn() * k[0] * k[1];
      } else if (conf instanceof DenseLayer d) {
        macs += out.length() * d.getNIn();
      }
    }
    return macs;
  }

  public static Result run(TrainConfig cfg, long warmup, long iterations) throws InterruptedException {
    if (cfg.numThreads() > 0) {
      Nd4j.getEnvironment().setMaxThreads(cfg.numThreads());
    }
    Trainer.Built built = Trainer.buildGenerator(cfg);
    InputGradientGraph g = new InputGradientGraph(built.conf());
    g.init();
    PatchSource source = TrainData.open(cfg.datasets().train(), built.options(), cfg.scale(), cfg.manualSeed(), "datasets.train");
    PixelStep step = new PixelStep(g, PixelLoss.from(cfg.train().pixelOpt()), null);
    double[] seconds = new double[(int) iterations];
    PatchBatch first;
    try (Prefetcher batches = new Prefetcher(source, 0, Math.max(1, cfg.datasets().train().numWorkerPerGpu()), 4)) {
      first = batches.next();
      step.run(first, 0, 0);
      for (long i = 1; i < warmup; i++) {
        step.run(batches.next(), i, 0);
      }
      for (int i = 0; i < iterations; i++) {
        PatchBatch b = batches.next();
        long t0 = System.nanoTime();
        step.run(b, warmup + i, 0);
        seconds[i] = (System.nanoTime() - t0) / 1e9;
      }
    }
    INDArray lr = Nd4j.create(first.lr(), new long[] {first.n(), first.channels(), first.lrHeight(), first.lrWidth()}, 'c');
    long macs = forwardMacs(g, g.feedForward(new INDArray[] {lr}, true, true));
    double flopPerIter = 3.0 * 2.0 * macs;
    double[] sorted = seconds.clone();
    Arrays.sort(sorted);
    double median = sorted[sorted.length / 2];
    PatchThroughput.Result pipe = PatchThroughput.measure(source, Math.max(1, cfg.datasets().train().numWorkerPerGpu()),
        2, (int) Math.max(4, Math.min(50, iterations)));
    return new Result(built.card().arch() + " " + built.card().options(), first.n(),
        Arrays.toString(lr.shape()), warmup, iterations, median, flopPerIter / 1e9, flopPerIter / median / 1e9,
        first.n() / median, pipe.patchesPerSecond(), Nd4j.getEnvironment().maxThreads());
  }
}
