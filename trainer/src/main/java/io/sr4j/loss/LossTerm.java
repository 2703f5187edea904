package io.sr4j.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One term of the generator's loss: pixel losses, SSIM, the perceptual loss, the adversarial loss and any later one.
 * The training step sums the terms of a config and backpropagates the sum of their gradients through the generator.
 * Terms are built by {@link LossTerms} from a config's {@code train.<name>_opt} sections; a new term is one class
 * plus one registry line there. Hand-written terms compute their gradient analytically; {@link SameDiffLossTerm}
 * derives it with ND4J's autodiff.
 */
public interface LossTerm {
  /** The name its value is logged under, after the step's prefix: "pix" is logged as l_pix (l_g_pix in GAN runs). */
  String name();

  /** The term's weight in the generator's loss (already applied by {@link #compute}). */
  double weight();

  /**
   * The weighted loss of a batch and its gradient with respect to the prediction.
   *
   * @param sr the generator's output, [N, C, H, W] in [0, 1] (not clamped)
   * @param hr the target, the same shape
   * @return {@code weight * value} and {@code weight * dValue/dSr} (a new array of sr's shape)
   */
  LossResult compute(INDArray sr, INDArray hr);

  /**
   * {@link #compute(INDArray, INDArray)} in the training step that follows {@code iteration} completed iterations.
   * Terms that draw random samples (the contextual losses' feature positions) seed them from the run's seed and this
   * number, so a resumed run draws exactly what an uninterrupted one does; the others ignore it.
   */
  default LossResult compute(INDArray sr, INDArray hr, long iteration) {
    return compute(sr, hr);
  }
}
