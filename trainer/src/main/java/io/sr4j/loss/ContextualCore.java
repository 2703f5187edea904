package io.sr4j.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The contextual (CX) and contextual bilateral (CoBi) loss of one image's features at one layer, as the code of
 * "Zoom to Learn, Learn to Zoom" (Zhang et al., CVPR 2019) computes it. Rows of {@code prediction} (I) and
 * {@code target} (T) are features at the same N sampled positions (row k of both is position k):
 * <pre>
 * cosine:      t_j = (t_j - mu) / max(|t_j - mu|, 1e-12), i_i likewise;  d_ij = (1 - i_i . t_j) / 2
 * squared L2:  d_ij = max(0, |i_i - t_j|^2)
 * dr_ij = d_ij / (min_k d_ik + distanceEps)                     relative distance over T, for each i
 * CX_ij = exp((1 - dr_ij) / h) / sum_k exp((1 - dr_ik) / h)      each I-row sums to 1
 * C_ij  = (1 - wSpatial) CX_ij + wSpatial [i == j]               the spatial term of the official code (identity)
 * loss  = -log(mean_j max_i C_ij + logEps)
 * </pre>
 * {@code mu} is the per-channel mean of the target features (over the batch and the sampled positions), a constant.
 * Implementations differ only in how the gradient is obtained: {@link ContextualAnalytic} (hand-derived backward)
 * and {@link ContextualAutodiff} (SameDiff reverse mode); both work in the data type of their inputs.
 */
interface ContextualCore {
  /** How feature distances are measured. */
  enum Distance {
    /** VGG features: centred by the target mean, cosine distance. */
    COSINE,
    /** RGB patches: squared Euclidean distance, no normalisation. */
    SQUARED_L2
  }

  /**
   * @param bandWidth h
   * @param distanceEps added to the row minimum in the relative distance (1e-3)
   * @param logEps added to the similarity inside the log (1e-5)
   * @param wSpatial weight of the spatial (identity) term, 0 for CX
   */
  record Params(Distance distance, double bandWidth, double distanceEps, double logEps, double wSpatial) {}

  /** The loss of one image and layer, and dLoss/dPrediction ([N, C], a new array). */
  record Result(double loss, INDArray gradient) {}

  /**
   * @param prediction I, [N, C]
   * @param target T, [N, C] (no gradient)
   * @param mean mu, [1, C]: the target mean for {@link Distance#COSINE}; ignored (may be null) for squared L2
   */
  Result compute(INDArray prediction, INDArray target, INDArray mean);
}
