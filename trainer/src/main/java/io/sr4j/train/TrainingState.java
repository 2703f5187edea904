package io.sr4j.train;

/**
 * Everything a checkpoint needs, besides network weights and optimizer state, to continue a run exactly:
 * completed iterations (the next batch index), the seed of the counter-based data sampling and augmentation, the
 * best validation value so far, the hash of the resolved config and, for GAN training, which VGG-19 weights the
 * perceptual loss used ("random" for smoke tests). Stored as {@code sr4j/training.json}.
 */
public record TrainingState(
    long iteration, long seed, String bestKey, Double bestValue, Long bestIteration, String configSha256,
    String vggWeights) {

  /** This state for the best key {@code key}; a different key than before starts its best value afresh. */
  public TrainingState withBestKey(String key) {
    return java.util.Objects.equals(key, bestKey) ? this
        : new TrainingState(iteration, seed, key, null, null, configSha256, vggWeights);
  }

  /** This state recording what the perceptual loss uses. */
  public TrainingState withVggWeights(String weights) {
    return new TrainingState(iteration, seed, bestKey, bestValue, bestIteration, configSha256, weights);
  }

  public TrainingState withIteration(long it) {
    return new TrainingState(it, seed, bestKey, bestValue, bestIteration, configSha256, vggWeights);
  }

  /**
   * This state with {@code value} at {@code it} as the best if it beats the current best in the metric's direction
   * (a NaN value never does).
   */
  public TrainingState withCandidate(double value, long it, boolean higherIsBetter) {
    if (Double.isNaN(value) || bestValue != null && !(higherIsBetter ? value > bestValue : value < bestValue)) {
      return this;
    }
    return new TrainingState(iteration, seed, bestKey, value, it, configSha256, vggWeights);
  }
}
