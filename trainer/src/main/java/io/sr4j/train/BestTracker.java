package io.sr4j.train;

import java.util.Map;

/**
 * Tracks the best validation value of the run's best key ({@code val.best_metric}) in its metric's direction:
 * higher PSNR/SSIM, lower NIQE. A new best marks the iteration, so the checkpoint policy keeps it as best.zip.
 */
final class BestTracker implements TrainingListener {
  private final String key;
  private final boolean higherIsBetter;

  BestTracker(String key, boolean higherIsBetter) {
    this.key = key;
    this.higherIsBetter = higherIsBetter;
  }

  @Override
  public void validated(TrainingRun run, long iteration, Map<String, Double> values) {
    Double value = values.get(key);
    if (value == null) {
      return;
    }
    TrainingState next = run.state().withCandidate(value, iteration, higherIsBetter);
    if (next != run.state()) {
      run.improve(next, iteration);
    }
  }
}
