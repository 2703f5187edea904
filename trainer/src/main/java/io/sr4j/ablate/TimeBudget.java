package io.sr4j.ablate;

import io.sr4j.train.TrainingListener;
import io.sr4j.train.TrainingRun;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Counts a candidate's training time over all processes that worked on it and, with a limit, asks the run to stop
 * (with a checkpoint) once the limit is reached: Arbiter's MaxTimeCondition only stops generating candidates and never
 * interrupts a running one. The time so far is saved in candidate.json every {@value #SAVE_EVERY_S} seconds, so a
 * killed and resumed candidate keeps its count.
 */
final class TimeBudget implements TrainingListener {
  private static final long SAVE_EVERY_S = 15;
  private final double maxSeconds;
  private final double before;
  private final Path runDir;
  private final AblationPlan.Candidate candidate;
  private final long startNanos = System.nanoTime();
  private long savedAt = startNanos;

  /** {@code maxMinutes}: null for no limit; {@code beforeSeconds}: time spent by earlier processes. */
  TimeBudget(Double maxMinutes, double beforeSeconds, Path runDir, AblationPlan.Candidate candidate) {
    this.maxSeconds = maxMinutes == null ? Double.POSITIVE_INFINITY : maxMinutes * 60;
    this.before = beforeSeconds;
    this.runDir = runDir;
    this.candidate = candidate;
  }

  /** Training seconds so far, earlier processes included. */
  double seconds() {
    return before + (System.nanoTime() - startNanos) / 1e9;
  }

  @Override
  public void stepDone(TrainingRun run, StepEvent step) {
    if (seconds() >= maxSeconds) {
      run.requestStop(String.format(Locale.ROOT, "wall-clock budget of %.4g min reached at iteration %d of %d",
          maxSeconds / 60, step.iteration(), run.totalIterations()));
    }
    long now = System.nanoTime();
    if ((now - savedAt) / 1e9 >= SAVE_EVERY_S) {
      savedAt = now;
      new CandidateState(CandidateState.RUNNING, null, step.iteration(), seconds()).write(runDir, candidate);
    }
  }
}
