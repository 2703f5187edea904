package io.sr4j.train;

import io.sr4j.arch.Architecture;
import io.sr4j.arch.Architectures;
import io.sr4j.arch.GeneratorOptions;
import io.sr4j.ckpt.Checkpoint;
import io.sr4j.ckpt.GeneratorFiles;
import io.sr4j.ckpt.ModelCard;
import io.sr4j.config.ConfigException;
import io.sr4j.config.ConfigLoader;
import io.sr4j.config.TrainConfig;
import io.sr4j.data.BadInputException;
import io.sr4j.data.train.PatchSource;
import io.sr4j.data.train.Prefetcher;
import io.sr4j.infer.NetworkUpscaler;
import io.sr4j.loss.PixelLoss;
import io.sr4j.nn.InputGradientGraph;
import io.sr4j.report.LiveReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains a generator from a {@link TrainConfig}: builds the network, the data pipeline, validation and
 * checkpointing in {@code <experiments_root>/<name>/}, optionally resumes, then runs the steps. Outputs: the
 * {@code checkpoints/}, {@code models/net_g_final.zip} (and {@code net_g_ema_final.zip}), {@code metrics.jsonl},
 * {@code metrics.csv}, plots, {@code visualization/}, {@code train.log} and the resolved {@code config.yml}.
 */
public final class Trainer {
  /** How the run ended. */
  public record Result(Path runDir, long iterations, Map<String, Double> lastValidation, TrainingState state) {}

  private final TrainConfig cfg;
  private final String configYaml;
  private final Path runDir;
  private final RunLog log;

  public Trainer(TrainConfig cfg, RunLog.Sink console) {
    this.cfg = cfg;
    this.configYaml = ConfigLoader.toYaml(cfg);
    this.runDir = Path.of(cfg.path().experimentsRoot()).resolve(cfg.name());
    this.log = new RunLog(runDir.resolve("train.log"), console);
  }

  public Path runDir() {
    return runDir;
  }

  /** The configured generator, its options and card (checked against {@code scale}). */
  static Built buildGenerator(TrainConfig cfg) {
    Architecture<?> arch = Architectures.get(cfg.networkG().type());
    Object options = arch.options(cfg.networkG().options(), "network_g");
    if (!(options instanceof GeneratorOptions g)) {
      throw new ConfigException("network_g.type: " + arch.name() + " is not an SR generator");
    }
    if (g.upscale() != cfg.scale()) {
      throw new ConfigException("network_g.scale: " + g.upscale() + " does not match scale " + cfg.scale());
    }
    @SuppressWarnings({"unchecked", "rawtypes"})
    ComputationGraphConfiguration conf = ((Architecture) arch).configuration((Record) options);
    Optimizers.apply(conf, cfg.train().optimG(), cfg.train().scheduler(), cfg.train().warmupIter(), "train.optim_g");
    seed(conf, cfg.manualSeed());
    String how = cfg.isGan() ? cfg.modelType() + " run " + cfg.name() : "run " + cfg.name();
    ModelCard card = ModelCard.of(arch.name(), cfg.networkG().options(), "trained with sr4j, " + how, null, "raw");
    return new Built(conf, g, card);
  }

  record Built(ComputationGraphConfiguration conf, GeneratorOptions options, ModelCard card) {}

  /** The configured discriminator's graph configuration, with optim_d and the shared scheduler applied. */
  static ComputationGraphConfiguration buildDiscriminator(TrainConfig cfg) {
    Architecture<?> arch = Architectures.get(cfg.networkD().type());
    Object options = arch.options(cfg.networkD().options(), "network_d");
    if (options instanceof GeneratorOptions) {
      throw new ConfigException("network_d.type: " + arch.name() + " is a generator, not a discriminator");
    }
    @SuppressWarnings({"unchecked", "rawtypes"})
    ComputationGraphConfiguration conf = ((Architecture) arch).configuration((Record) options);
    io.sr4j.config.OptimizerConfig optD = cfg.train().optimD() != null ? cfg.train().optimD() : cfg.train().optimG();
    Optimizers.apply(conf, optD, cfg.train().scheduler(), cfg.train().warmupIter(), "train.optim_d");
    seed(conf, cfg.manualSeed() + 1);
    return conf;
  }

  private static void seed(ComputationGraphConfiguration conf, long seed) {
    conf.getDefaultConfiguration().setSeed(seed);
    for (var v : conf.getVertices().values()) {
      if (v instanceof LayerVertex lv) {
        lv.getLayerConf().setSeed(seed);
      }
    }
  }

  /** The networks and state a run starts from: fresh, pretrained or restored from a checkpoint. */
  private record Start(InputGradientGraph g, InputGradientGraph d, Ema ema, TrainingState state, StepSetup setup) {}

  private Start start(Built built, RunCheckpoints checkpoints, String resume, String bestKey) {
    RunCheckpoints.Restored restored = restoreFrom(resume, checkpoints);
    String sha = sha256(configYaml);
    InputGradientGraph g;
    InputGradientGraph d = null;
    TrainingState state;
    if (restored != null) {
      if (!restored.card().arch().equals(built.card().arch()) || !restored.card().options().equals(built.card().options())) {
        throw new BadInputException(restored.file() + ": its network (" + restored.card().arch() + " "
            + restored.card().options() + ") differs from network_g of the config");
      }
      g = restored.generator();
      d = restored.discriminator();
      state = restored.state();
      if (!sha.equals(state.configSha256())) {
        log.line("note: the config differs from the one the checkpoint was written with; continuing with the new one");
      }
      log.line("resuming from " + restored.file() + " after iteration " + state.iteration());
    } else {
      g = new InputGradientGraph(built.conf());
      g.init();
      loadPretrained(g, built.card());
      state = new TrainingState(0, cfg.manualSeed(), bestKey, null, null, sha, null);
    }
    if (cfg.isGan() && d == null) {
      d = new InputGradientGraph(buildDiscriminator(cfg));
      d.init();
      if (cfg.path().pretrainNetworkD() != null) {
        d.params().assign(Checkpoint.read(Path.of(cfg.path().pretrainNetworkD()), false).network().params());
        log.line("discriminator initialised from " + cfg.path().pretrainNetworkD());
      }
    }
    Ema ema = null;
    if (cfg.emaDecay() > 0) {
      ema = Ema.startingFrom(g, cfg.emaDecay());
      if (restored != null && restored.ema() != null) {
        ema.network().params().assign(restored.ema());
      }
    }
    StepSetup setup = buildStep(cfg, g, d, ema);
    if (setup.vggWeights() != null) {
      state = new TrainingState(state.iteration(), state.seed(), state.bestKey(), state.bestValue(), state.bestIteration(),
          state.configSha256(), setup.vggWeights());
    }
    log.line(setup.description());
    return new Start(g, d, ema, state, setup);
  }

  /**
   * Runs the training. {@code resume}: null (fresh run; refuses a run folder that already holds checkpoints),
   * "auto" (newest complete checkpoint of this run) or a checkpoint path.
   */
  public Result run(String resume) {
    if (cfg.numThreads() > 0) {
      Nd4j.getEnvironment().setMaxThreads(cfg.numThreads());
    }
    Built built = buildGenerator(cfg);
    RunCheckpoints checkpoints = new RunCheckpoints(runDir.resolve("checkpoints"), cfg.logger().keepCheckpoints());
    Validation validation = new Validation(cfg.datasets().val(), cfg.val(), cfg.scale(), runDir);
    String bestKey = validation.isEmpty() ? null : validation.bestKey();
    Start start = start(built, checkpoints, resume, bestKey);
    InputGradientGraph g = start.g();
    InputGradientGraph d = start.d();
    Ema ema = start.ema();
    TrainingState state = start.state();
    TrainingStep step = start.setup().step();
    writeConfig();
    long total = cfg.train().totalIter();
    PatchSource source = TrainData.open(cfg.datasets().train(), built.options(), cfg.scale(), state.seed(), "datasets.train");
    log.line("data: " + source.describe());
    log.line("network: " + built.card().arch() + " " + built.card().options() + ", "
        + io.sr4j.arch.ParameterCount.trainable(g) + " parameters");
    MetricsLog metrics = new MetricsLog(runDir, state.iteration());
    LiveReport report = new LiveReport(runDir, log::line);
    Map<String, Double> lastVal = Map.of();
    try (Prefetcher batches = new Prefetcher(source, state.iteration(), Math.max(1, cfg.datasets().train().numWorkerPerGpu()), 4);
        RunLog.Progress progress = log.progress(state.iteration(), total)) {
      Map<String, double[]> lossSums = new LinkedHashMap<>(); // name -> {sum, count}
      int windowSteps = 0;
      long windowStart = System.nanoTime();
      for (long it = state.iteration(); it < total; it++) {
        long done = it + 1;
        Map<String, Double> stepLosses = step.run(batches.next(), it, source.epochOf(it));
        for (Map.Entry<String, Double> l : stepLosses.entrySet()) {
          double[] acc = lossSums.computeIfAbsent(l.getKey(), k -> new double[2]);
          acc[0] += l.getValue();
          acc[1]++;
        }
        windowSteps++;
        progress.step(done, stepLosses.values().iterator().next());
        if (done % cfg.logger().printFreq() == 0 || done == total) {
          double secondsPerIter = (System.nanoTime() - windowStart) / 1e9 / windowSteps;
          Map<String, Double> values = new LinkedHashMap<>();
          for (Map.Entry<String, double[]> l : lossSums.entrySet()) {
            values.put(l.getKey(), l.getValue()[0] / l.getValue()[1]);
          }
          values.put("lr", LrSchedule.of(cfg.train().scheduler(), cfg.train().optimG().lr(), cfg.train().warmupIter()).at(it));
          values.put("epoch", (double) source.epochOf(it));
          values.put("time_per_iter", secondsPerIter);
          metrics.log(done, values);
          log.iteration(done, total, values);
          lossSums.clear();
          windowSteps = 0;
          windowStart = System.nanoTime();
        }
        state = state.withIteration(done);
        boolean validate = !validation.isEmpty() && (done % cfg.val().valFreq() == 0 || done == total);
        boolean improved = false;
        if (validate) {
          InputGradientGraph evalNet = ema == null ? g : ema.network();
          lastVal = validation.run(new NetworkUpscaler(evalNet, built.card(), cfg.name()), done);
          metrics.log(done, lastVal);
          metrics.plot();
          log.validation(done, lastVal);
          progress.validation(lastVal.get(bestKey));
          Double value = lastVal.get(bestKey);
          TrainingState next = value == null ? state : state.withCandidate(value, done);
          improved = next != state;
          state = next;
        }
        if (done % cfg.logger().saveCheckpointFreq() == 0 || done == total || improved) {
          Path saved = checkpoints.save(g, built.card(), state, configYaml, ema, d);
          if (improved) {
            checkpoints.markBest(saved);
          }
        }
        if (validate) {
          report.update();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BadInputException("training interrupted", e);
    }
    metrics.plot();
    writeFinalModels(g, ema, built.card(), state.iteration());
    if (state.bestValue() != null) {
      log.line(String.format(Locale.ROOT, "best %s %.4f at iteration %d", state.bestKey(), state.bestValue(),
          state.bestIteration()));
    }
    log.line("done: " + runDir.resolve("models").resolve("net_g_final.zip"));
    report.update();
    log.line(report.summary());
    log.close();
    return new Result(runDir, state.iteration(), lastVal, state);
  }

  /**
   * The step a config trains with; what its perceptual loss uses (null, a VGG weights file or "random"); and, for
   * counting FLOPs, every network the step runs with how many passes of its forward size it makes per step.
   */
  record StepSetup(TrainingStep step, String vggWeights, String description, List<Passes> passes) {}

  /** {@code passes} forward-sized passes of {@code graph} per step, fed HR-sized ({@code hrInput}) or LR batches. */
  record Passes(ComputationGraph graph, String role, int passes, boolean hrInput) {}

  static StepSetup buildStep(TrainConfig cfg, InputGradientGraph g, InputGradientGraph d, Ema ema) {
    if (!cfg.isGan()) {
      return new StepSetup(new PixelStep(g, PixelLoss.from(cfg.train().pixelOpt()), ema), null,
          "loss: " + cfg.train().pixelOpt().type() + " x " + cfg.train().pixelOpt().lossWeight(),
          List.of(new Passes(g, "G", 3, false)));
    }
    GanParts parts = GanParts.build(cfg);
    GanStep step = new GanStep(g, d, cfg.train().pixelOpt() == null ? null : PixelLoss.from(cfg.train().pixelOpt()),
        parts.perceptual(), parts.gan(), cfg.relativisticGan(), ema, cfg.train().netDIters(), cfg.train().netDInitIters());
    List<Passes> passes = new java.util.ArrayList<>();
    passes.add(new Passes(g, "G", 3, false));
    if (parts.perceptual() != null) {
      passes.add(new Passes(parts.perceptual().network(), "VGG", 4, true)); // HR forward, SR forward + 2 backward
    }
    // G step: D(hr), D(sr) + backward; D step: [D(sr) for the mean], D(hr) + backward, D(sr) + backward
    passes.add(new Passes(d, "D", cfg.relativisticGan() ? 11 : 10, true));
    return new StepSetup(step, parts.vggWeights(), parts.description(), passes);
  }

  private RunCheckpoints.Restored restoreFrom(String resume, RunCheckpoints checkpoints) {
    if (resume == null) {
      if (!checkpoints.list().isEmpty()) {
        throw new BadInputException(runDir + ": this run already has checkpoints; continue it with --resume auto, "
            + "or give the run another name (name: ... or --set name=...)");
      }
      return null;
    }
    if (resume.equals("auto")) {
      RunCheckpoints.Restored r = checkpoints.latest(log.writer()).orElse(null);
      if (r == null) {
        log.line("no checkpoint in " + checkpoints.dir() + " yet; starting a new run");
      }
      return r;
    }
    return RunCheckpoints.restore(Path.of(resume));
  }

  private void loadPretrained(InputGradientGraph g, ModelCard card) {
    String file = cfg.path().pretrainNetworkG();
    if (file == null) {
      return;
    }
    Checkpoint.Loaded pre = GeneratorFiles.load(Path.of(file), cfg.scale(), cfg.path().paramKeyG(), null, Map.of());
    Map<String, org.nd4j.linalg.api.ndarray.INDArray> from = pre.network().paramTable();
    int copied = 0;
    for (Map.Entry<String, org.nd4j.linalg.api.ndarray.INDArray> e : g.paramTable().entrySet()) {
      org.nd4j.linalg.api.ndarray.INDArray src = from.get(e.getKey());
      boolean fits = src != null && java.util.Arrays.equals(src.shape(), e.getValue().shape());
      if (!fits && cfg.path().strictLoadG()) {
        throw new BadInputException(file + ": parameter " + e.getKey() + (src == null ? " is missing" : " has shape "
            + java.util.Arrays.toString(src.shape()) + ", the network needs " + java.util.Arrays.toString(e.getValue().shape()))
            + " (set path.strict_load_g: false to load only what matches)");
      }
      if (fits) {
        e.getValue().assign(src);
        copied++;
      }
    }
    log.line("loaded " + copied + " of " + g.paramTable().size() + " parameter arrays from " + file);
  }

  private void writeConfig() {
    try {
      Files.createDirectories(runDir);
      io.sr4j.data.AtomicFiles.writeString(runDir.resolve("config.yml"), configYaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void writeFinalModels(InputGradientGraph g, Ema ema, ModelCard card, long iteration) {
    Path models = runDir.resolve("models");
    Checkpoint.write(models.resolve("net_g_final.zip"), g, card.withProvenance(card.source(), iteration, "raw"), false, Map.of());
    if (ema != null) {
      Checkpoint.write(models.resolve("net_g_ema_final.zip"), ema.network(),
          card.withProvenance(card.source(), iteration, "ema"), false, Map.of());
    }
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
