package io.sr4j.train;

import io.sr4j.config.TrainConfig;
import io.sr4j.loss.AdversarialLoss;
import io.sr4j.loss.ContextualLoss;
import io.sr4j.loss.LossTerm;
import io.sr4j.loss.LossTerms;
import io.sr4j.loss.PerceptualLoss;
import io.sr4j.data.train.PatchBatch;
import io.sr4j.data.train.PatchSource;
import io.sr4j.data.train.PatchThroughput;
import io.sr4j.data.train.Prefetcher;
import io.sr4j.nn.FastConv2D;
import io.sr4j.nn.InputGradientGraph;
import io.sr4j.nn.NativeThreads;
import io.sr4j.nn.PhaseTimer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times the training step of a config: median seconds per iteration (data from the configured pipeline through the
 * prefetcher, as in training), the achieved GFLOP/s of the convolutions and dense layers of every network the step
 * runs (G; for GAN training also VGG-19 and D; multiply-adds counted from the layer shapes, each forward, input
 * gradient and weight gradient pass counted once), and the pipeline's own speed.
 */
public final class TrainBenchmark {
  private TrainBenchmark() {}

  /** Result: all plain numbers for JSON; {@code gflopByNetwork} splits the FLOPs of an iteration by network. */
  public record Result(String network, int batch, String inputShape, long warmup, long iterations,
      double medianSecondsPerIter, double gflopPerIter, double gflops, double patchesPerSecond,
      double pipelinePatchesPerSecond, int threads, Map<String, Double> gflopByNetwork,
      Map<String, Double> secondsPerIterByPhase) {}

  /**
   * Multiply-adds of one forward pass, from the output shape of every convolution and dense layer; with
   * {@code skippedOnly}, only those of first layers whose input gradient backprop skips.
   */
  public static long forwardMacs(ComputationGraph g, Map<String, INDArray> activations, boolean skippedOnly) {
    long macs = 0;
    for (GraphVertex v : g.getVertices()) {
      if (!v.hasLayer()) {
        continue;
      }
      Object conf = v.getLayer().conf().getLayer();
      INDArray out = activations.get(v.getVertexName());
      if (conf instanceof FastConv2D c) {
        int[] k = c.getKernelSize();
        if (!skippedOnly || !c.isInputGradient()) {
          macs += out.length() * c.getNIn() * k[0] * k[1];
        }
      } else if (conf instanceof DenseLayer d && !skippedOnly) {
        macs += out.length() * d.getNIn();
      }
    }
    return macs;
  }

  /** {@code passes} forward-sized passes of {@code graph} per step, fed HR-sized ({@code hrInput}) or LR batches. */
  record Passes(ComputationGraph graph, String role, int passes, boolean hrInput) {}

  /**
   * The forward-sized passes a step makes through each network: G forward, input and weight gradients; VGG-19 on HR
   * and SR plus SR's input gradient (frozen: no weight gradient); D in the G step on HR and on SR with the input
   * gradient alone, and in its own update on HR and SR with both gradients (the first layer of D still computes its
   * input gradient).
   */
  static List<Passes> passes(InputGradientGraph g, List<LossTerm> terms) {
    List<Passes> out = new ArrayList<>(List.of(new Passes(g, "G", 3, false)));
    for (LossTerm t : terms) {
      if (t instanceof PerceptualLoss p) {
        out.add(new Passes(p.network(), "VGG", 3, true));
      } else if (t instanceof ContextualLoss c && c.network() != null) {
        out.add(new Passes(c.network(), "VGG (" + c.name() + ")", 3, true));
      } else if (t instanceof AdversarialLoss a) {
        out.add(new Passes(a.discriminator(), "D", 9, true));
      }
    }
    return out;
  }

  /**
   * Times {@code iterations} steps after {@code warmup}; with {@code profile}, also the seconds per iteration of each
   * phase of the step (G forward/backward, each loss term with VGG and D passes, optimizers, EMA, GC).
   */
  public static Result run(RunPlan plan, long warmup, long iterations, boolean profile) throws InterruptedException {
    TrainConfig cfg = plan.cfg();
    if (cfg.numThreads() > 0) {
      NativeThreads.limit(cfg.numThreads());
    }
    InputGradientGraph g = plan.newGenerator();
    InputGradientGraph d = cfg.isGan() ? plan.newDiscriminator() : null;
    PatchSource source = TrainData.open(cfg.datasets().train(), plan.generatorOptions(), cfg.scale(), cfg.manualSeed(),
        "datasets.train");
    List<LossTerm> terms = LossTerms.build(cfg.train().losses(), new LossTerms.Context(cfg, d));
    DiscriminatorUpdate dUpdate = null;
    for (LossTerm t : terms) {
      if (t instanceof AdversarialLoss a) {
        dUpdate = new DiscriminatorUpdate(a);
      }
    }
    TrainStep step = new TrainStep(g, terms, null, dUpdate, cfg.train().netDIters(), cfg.train().netDInitIters());
    double[] seconds = new double[(int) iterations];
    PatchBatch first;
    try (Prefetcher batches = new Prefetcher(source, 0, Math.max(1, cfg.datasets().train().numWorkerPerGpu()), 4)) {
      first = batches.next();
      step.run(first, 0, 0);
      for (long i = 1; i < warmup; i++) {
        step.run(batches.next(), i, 0);
      }
      if (profile) {
        PhaseTimer.enable();
      }
      for (int i = 0; i < iterations; i++) {
        PatchBatch b = batches.next();
        long t0 = System.nanoTime();
        step.run(b, warmup + i, 0);
        seconds[i] = (System.nanoTime() - t0) / 1e9;
      }
    }
    Map<String, Double> phases = new java.util.LinkedHashMap<>();
    PhaseTimer.disable().forEach((k, v) -> phases.put(k, v[0] / 1e9 / iterations));
    INDArray lr = TrainStep.lrArray(first);
    INDArray hr = TrainStep.hrArray(first);
    Map<String, Double> byNetwork = new java.util.LinkedHashMap<>();
    double flopPerIter = 0;
    for (Passes p : passes(g, terms)) {
      INDArray in = p.hrInput() ? hr : lr;
      Map<String, INDArray> acts = p.graph().feedForward(new INDArray[] {in}, true, true);
      // first layers that skip their input gradient do one pass less
      double flop = 2.0 * (p.passes() * forwardMacs(p.graph(), acts, false) - forwardMacs(p.graph(), acts, true));
      byNetwork.put(p.role(), flop / 1e9);
      flopPerIter += flop;
    }
    double[] sorted = seconds.clone();
    Arrays.sort(sorted);
    double median = sorted[sorted.length / 2];
    PatchThroughput.Result pipe = PatchThroughput.measure(source, Math.max(1, cfg.datasets().train().numWorkerPerGpu()),
        2, (int) Math.max(4, Math.min(50, iterations)));
    return new Result(plan.generator().card().arch() + " " + plan.generator().card().options(), first.n(),
        Arrays.toString(lr.shape()), warmup, iterations, median, flopPerIter / 1e9, flopPerIter / median / 1e9,
        first.n() / median, pipe.patchesPerSecond(), NativeThreads.current(), byNetwork, phases);
  }
}
