package io.sr4j.train;

import io.sr4j.ckpt.Checkpoint;
import io.sr4j.ckpt.GeneratorFiles;
import io.sr4j.ckpt.ModelCard;
import io.sr4j.ckpt.WeightsZoo;
import io.sr4j.config.LossTermConfig;
import io.sr4j.config.PerceptualConfig;
import io.sr4j.config.TrainConfig;
import io.sr4j.data.AtomicFiles;
import io.sr4j.data.BadInputException;
import io.sr4j.data.train.PatchBatch;
import io.sr4j.data.train.PatchSource;
import io.sr4j.data.train.Prefetcher;
import io.sr4j.loss.AdversarialLoss;
import io.sr4j.loss.LossTerm;
import io.sr4j.loss.LossTerms;
import io.sr4j.nn.InputGradientGraph;
import io.sr4j.nn.NativeThreads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains a generator from a {@link RunPlan}: builds (or restores) the networks, the loss terms and the data
 * pipeline, then runs the steps; everything else (loss log, validation, best and checkpoint policies, progress,
 * status file, report, ablation bookkeeping) is a {@link TrainingListener}. Outputs in the run folder: checkpoints/,
 * models/net_g_final.zip (and net_g_ema_final.zip), metrics.jsonl/.csv, plots, visualization/, validation/ (per-image
 * values), status.json, report.html, train.log and the resolved config.yml.
 */
public final class Trainer {
  /** How the run ended; {@code trainedNow} iterations were trained by this call. */
  public record Result(Path runDir, long iterations, long trainedNow, Map<String, Double> lastValidation,
      TrainingState state, String stopReason) {}

  private final RunPlan plan;
  private final TrainConfig cfg;
  private final RunLog.Sink console;
  private final boolean terminal;
  private final List<TrainingListener> extra = new ArrayList<>();

  /** {@code terminal}: the console is a terminal (a progress bar then replaces the periodic lines). */
  public Trainer(RunPlan plan, RunLog.Sink console, boolean terminal) {
    this.plan = plan;
    this.cfg = plan.cfg();
    this.console = console;
    this.terminal = terminal;
  }

  /** A trainer whose console is not a terminal. */
  public Trainer(RunPlan plan, RunLog.Sink console) {
    this(plan, console, false);
  }

  /** Adds listeners after the standard ones (they see validation, best and checkpoint results of the same step). */
  public Trainer listen(TrainingListener... listeners) {
    extra.addAll(Arrays.asList(listeners));
    return this;
  }

  /**
   * Runs the training. {@code resume}: null (fresh run; refuses a run folder that already holds checkpoints),
   * "auto" (newest good checkpoint of this run; a new run if there is none yet) or a checkpoint path.
   */
  public Result run(String resume) {
    if (cfg.numThreads() > 0) {
      NativeThreads.limit(cfg.numThreads());
    }
    Path runDir = plan.runDir();
    RunCheckpoints checkpoints = new RunCheckpoints(runDir.resolve("checkpoints"), cfg.logger().keepCheckpoints());
    RunCheckpoints.Restored restored = checkpoints.restoreFor(resume, plan); // before any file is written
    try (RunLog log = new RunLog(runDir.resolve("train.log"), console, terminal)) {
      checkpoints.reportTo(log);
      Validation validation = new Validation(cfg.datasets().val(), cfg.val(), cfg.scale(), runDir);
      String bestKey = validation.isEmpty() ? null : validation.bestKey();
      boolean higher = bestKey == null || validation.higherIsBetter(bestKey);
      TrainingRun run = start(restored, bestKey, log);
      MetricsLog metrics = new MetricsLog(runDir, run.iteration());
      List<TrainingListener> listeners = new ArrayList<>(List.of(new ProgressDisplay(), new LossWindow(metrics),
          new ValidationHook(validation, metrics), new BestTracker(bestKey, higher), new CheckpointPolicy(checkpoints),
          new StatusFile(runDir, higher), new ReportHook()));
      listeners.addAll(extra);
      run.listenedBy(listeners);
      writeConfig(runDir);
      TrainStep step = step(run);
      PatchSource source = TrainData.open(cfg.datasets().train(), plan.generatorOptions(), cfg.scale(),
          cfg.manualSeed(), "datasets.train");
      log.line("data: " + source.describe());
      loop(run, step, source, listeners);
      writeFinalModels(run);
      if (run.state().bestValue() != null) {
        log.line(String.format(Locale.ROOT, "best %s %.4f at iteration %d", run.state().bestKey(),
            run.state().bestValue(), run.state().bestIteration()));
      }
      log.line((run.stopReason() != null ? "stopped (" + run.stopReason() + ")" : "done") + ": "
          + runDir.resolve("models").resolve("net_g_final.zip"));
      return new Result(runDir, run.iteration(), run.iteration() - run.firstIteration(), run.lastValidation(),
          run.state(), run.stopReason());
    }
  }

  /** The loop: a step, then every listener; until the last iteration or a stop request. */
  private static void loop(TrainingRun run, TrainStep step, PatchSource source, List<TrainingListener> listeners) {
    try (Prefetcher batches = new Prefetcher(source, run.iteration(),
        Math.max(1, run.config().datasets().train().numWorkerPerGpu()), 4)) {
      listeners.forEach(l -> l.started(run));
      for (long it = run.iteration(); it < run.totalIterations() && run.stopReason() == null; it++) {
        long t0 = System.nanoTime();
        PatchBatch batch = batches.next();
        long t1 = System.nanoTime();
        Map<String, Double> losses = step.run(batch, it, source.epochOf(it));
        run.advance(it + 1);
        var event = new TrainingListener.StepEvent(it + 1, source.epochOf(it), losses, (t1 - t0) / 1e9,
            (System.nanoTime() - t1) / 1e9);
        listeners.forEach(l -> l.stepDone(run, event));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      listeners.forEach(l -> l.finished(run, e));
      throw new BadInputException("training interrupted", e);
    } catch (RuntimeException | Error e) {
      listeners.forEach(l -> l.finished(run, e));
      throw e;
    }
    listeners.forEach(l -> l.finished(run, null));
  }

  /** The networks and state the run starts from: restored from a checkpoint, or fresh (and maybe pretrained). */
  private TrainingRun start(RunCheckpoints.Restored restored, String bestKey, RunLog log) {
    InputGradientGraph g;
    InputGradientGraph d = null;
    TrainingState state;
    if (restored != null) {
      g = restored.generator();
      d = restored.discriminator();
      state = restored.state();
      List<String> changed = ConfigDiff.changedKeys(restored.configYaml(), plan.configYaml());
      if (!changed.isEmpty()) {
        log.line("note: the config differs from the one the checkpoint was written with in " + changed
            + "; continuing with the new one");
      }
      log.line("resuming from " + restored.file() + " after iteration " + state.iteration());
    } else {
      g = plan.newGenerator();
      loadPretrained(g, log);
      state = new TrainingState(0, cfg.manualSeed(), bestKey, null, null, plan.configSha256(), null);
    }
    if (cfg.isGan() && d == null) {
      d = plan.newDiscriminator();
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
    state = state.withBestKey(bestKey).withVggWeights(vggWeights());
    log.line("network: " + plan.generator().card().arch() + " " + plan.generator().card().options() + ", "
        + plan.generator().parameters() + " parameters");
    return new TrainingRun(plan, g, d, ema, state, log, plan.provenance(RunClock.now()));
  }

  /** The step of the run: its loss terms in config order and, for GAN training, the discriminator's update. */
  private TrainStep step(TrainingRun run) {
    List<LossTerm> terms = LossTerms.build(cfg.train().losses(), new LossTerms.Context(cfg, run.discriminator()));
    for (Map.Entry<String, LossTermConfig> e : cfg.train().losses().entrySet()) {
      run.log().line("loss " + e.getKey() + ": " + e.getValue().describe());
    }
    DiscriminatorUpdate dUpdate = null;
    for (LossTerm t : terms) {
      if (t instanceof AdversarialLoss a) {
        dUpdate = new DiscriminatorUpdate(a);
      }
    }
    return new TrainStep(run.generator(), terms, run.ema(), dUpdate, cfg.train().netDIters(), cfg.train().netDInitIters());
  }

  /** What the perceptual loss uses (recorded in checkpoints): its weights file, "random", or null. */
  private String vggWeights() {
    for (LossTermConfig c : cfg.train().losses().values()) {
      if (c instanceof PerceptualConfig p) {
        return p.randomWeights() ? "random" : p.weights();
      }
    }
    return null;
  }

  private void loadPretrained(InputGradientGraph g, RunLog log) {
    String file = cfg.path().pretrainNetworkG();
    if (file == null) {
      return;
    }
    Checkpoint.Loaded pre = GeneratorFiles.load(WeightsZoo.resolve(file, "path.pretrain_network_g"), cfg.scale(),
        cfg.path().paramKeyG(), null, Map.of());
    Map<String, INDArray> from = pre.network().paramTable();
    int copied = 0;
    for (Map.Entry<String, INDArray> e : g.paramTable().entrySet()) {
      INDArray src = from.get(e.getKey());
      boolean fits = src != null && Arrays.equals(src.shape(), e.getValue().shape());
      if (!fits && cfg.path().strictLoadG()) {
        throw new BadInputException(file + ": parameter " + e.getKey() + (src == null ? " is missing" : " has shape "
            + Arrays.toString(src.shape()) + ", the network needs " + Arrays.toString(e.getValue().shape()))
            + " (set path.strict_load_g: false to load only what matches)");
      }
      if (fits) {
        e.getValue().assign(src);
        copied++;
      }
    }
    log.line("loaded " + copied + " of " + g.paramTable().size() + " parameter arrays from " + file);
  }

  private void writeConfig(Path runDir) {
    Path file = runDir.resolve("config.yml");
    try {
      Files.createDirectories(runDir);
      AtomicFiles.writeString(file, plan.configYaml());
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot write (" + e.getMessage() + ")", e);
    }
  }

  private static void writeFinalModels(TrainingRun run) {
    Path models = run.runDir().resolve("models");
    ModelCard card = run.generatorCard();
    Map<String, byte[]> entries = Checkpoint.runEntries(run.plan().configYaml(),
        run.provenance().writtenAt(RunClock.now()));
    Checkpoint.write(models.resolve("net_g_final.zip"), run.generator(),
        card.withProvenance(card.source(), run.iteration(), "raw"), false, entries);
    if (run.ema() != null) {
      Checkpoint.write(models.resolve("net_g_ema_final.zip"), run.ema().network(),
          card.withProvenance(card.source(), run.iteration(), "ema"), false, entries);
    }
  }
}
