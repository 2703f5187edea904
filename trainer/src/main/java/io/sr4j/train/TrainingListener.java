package io.sr4j.train;

import java.util.Map;

/**
 * Something that follows a training run: the loss log, validation, the best-checkpoint and checkpoint policies,
 * progress display, the status file, reports, an ablation runner. The loop calls every listener, in the order they
 * were given, after each step, after each validation and at the end; it knows none of them by name. A listener may
 * ask the run to stop ({@link TrainingRun#requestStop}); the loop then ends after the current step as if the run
 * were finished, with a checkpoint to resume from.
 */
public interface TrainingListener {
  /** Before the first step of this process ({@code run.iteration()} completed iterations so far). */
  default void started(TrainingRun run) {}

  /** After a step: the completed iteration count, its losses and timings. */
  default void stepDone(TrainingRun run, StepEvent step) {}

  /** After a validation at {@code iteration}: values keyed {@code <set>_<metric>}. */
  default void validated(TrainingRun run, long iteration, Map<String, Double> values) {}

  /** At the end of this process's part of the run (also when it failed: {@code error} is then not null). */
  default void finished(TrainingRun run, Throwable error) {}

  /** One completed step: iteration count after it, epoch, named losses, seconds waiting for data and computing. */
  record StepEvent(long iteration, long epoch, Map<String, Double> losses, double dataSeconds, double stepSeconds) {}
}
