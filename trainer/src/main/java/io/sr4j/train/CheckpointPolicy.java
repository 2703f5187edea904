package io.sr4j.train;

import java.nio.file.Path;

/**
 * Writes a training checkpoint every {@code logger.save_checkpoint_freq} iterations, at the last iteration, when a
 * validation sets a new best (then also best.zip), and when the run is asked to stop early, so that it can continue.
 */
final class CheckpointPolicy implements TrainingListener {
  private final RunCheckpoints checkpoints;
  private long lastSaved = -1;

  CheckpointPolicy(RunCheckpoints checkpoints) {
    this.checkpoints = checkpoints;
  }

  @Override
  public void stepDone(TrainingRun run, StepEvent step) {
    long done = step.iteration();
    boolean improved = run.improvedAt(done);
    if (done % run.config().logger().saveCheckpointFreq() == 0 || done == run.totalIterations() || improved
        || run.stopReason() != null) {
      Path saved = save(run);
      if (improved) {
        checkpoints.markBest(saved);
      }
    }
  }

  @Override
  public void finished(TrainingRun run, Throwable error) {
    if (error == null && lastSaved != run.iteration() && run.iteration() > run.firstIteration()) {
      save(run);
    }
  }

  private Path save(TrainingRun run) {
    lastSaved = run.iteration();
    return checkpoints.save(run);
  }
}
