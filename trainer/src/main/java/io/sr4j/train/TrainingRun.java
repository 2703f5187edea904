package io.sr4j.train;

import io.sr4j.ckpt.ModelCard;
import io.sr4j.ckpt.Provenance;
import io.sr4j.config.TrainConfig;
import io.sr4j.nn.InputGradientGraph;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the listeners of a run see: the plan, the networks, the training state (iteration, best value), the log,
 * the last validation, and whether the run was asked to stop. Only the loop advances the iteration; the best-value
 * policy replaces the state when a validation improves on the best.
 */
public final class TrainingRun {
  private final RunPlan plan;
  private final InputGradientGraph g;
  private final InputGradientGraph d;
  private final Ema ema;
  private final RunLog log;
  private final Provenance provenance;
  private final long firstIteration;
  private List<TrainingListener> listeners = List.of();
  private TrainingState state;
  private Map<String, Double> lastValidation = Map.of();
  private long improvedAt = -1;
  private String stopReason;

  TrainingRun(RunPlan plan, InputGradientGraph g, InputGradientGraph d, Ema ema, TrainingState state, RunLog log,
      Provenance provenance) {
    this.plan = plan;
    this.g = g;
    this.d = d;
    this.ema = ema;
    this.state = state;
    this.log = log;
    this.provenance = provenance;
    this.firstIteration = state.iteration();
  }

  void listenedBy(List<TrainingListener> all) {
    this.listeners = List.copyOf(all);
  }

  public RunPlan plan() {
    return plan;
  }

  public TrainConfig config() {
    return plan.cfg();
  }

  public Path runDir() {
    return plan.runDir();
  }

  public InputGradientGraph generator() {
    return g;
  }

  /** The discriminator (GAN runs), else null. */
  public InputGradientGraph discriminator() {
    return d;
  }

  /** The EMA of the generator, else null. */
  public Ema ema() {
    return ema;
  }

  /** The network validation and the final "best" model use: the EMA weights when there are any. */
  public InputGradientGraph evaluationNetwork() {
    return ema == null ? g : ema.network();
  }

  public ModelCard generatorCard() {
    return plan.generator().card();
  }

  public RunLog log() {
    return log;
  }

  /** The provenance of the files the run writes (with the start time of this process). */
  public Provenance provenance() {
    return provenance;
  }

  public TrainingState state() {
    return state;
  }

  /** Completed iterations. */
  public long iteration() {
    return state.iteration();
  }

  /** Completed iterations when this process started (0 for a new run, else the resumed checkpoint's). */
  public long firstIteration() {
    return firstIteration;
  }

  public long totalIterations() {
    return plan.cfg().train().totalIter();
  }

  public Map<String, Double> lastValidation() {
    return lastValidation;
  }

  /** True when the validation at {@code iteration} set a new best. */
  public boolean improvedAt(long iteration) {
    return improvedAt == iteration;
  }

  /** Asks the loop to end after the current step (e.g. a time budget); the first reason given is kept. */
  public void requestStop(String reason) {
    if (stopReason == null) {
      stopReason = reason;
    }
  }

  /** Why the run was asked to stop, or null. */
  public String stopReason() {
    return stopReason;
  }

  void advance(long completed) {
    state = state.withIteration(completed);
  }

  /** Records a new best value (the best-checkpoint policy). */
  void improve(TrainingState better, long iteration) {
    state = better;
    improvedAt = iteration;
  }

  /** Tells every listener about a validation. */
  void publishValidation(long iteration, Map<String, Double> values) {
    lastValidation = Map.copyOf(values);
    for (TrainingListener l : listeners) {
      l.validated(this, iteration, values);
    }
  }
}
