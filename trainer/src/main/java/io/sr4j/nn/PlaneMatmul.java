package io.sr4j.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Linear maps applied to every [H, W] plane of an [N, C, H, W] array as matrix products. */
public final class PlaneMatmul {
  private PlaneMatmul() {}

  /**
   * {@code left . x[n,c] . right^T} for every plane: x [N, C, H, W], left [P, H], right [Q, W] give [N, C, P, Q].
   * Separable filters and resamplers are such maps; their backprop is the same call with transposed matrices
   * ({@code dX = left^T . dY . right}).
   */
  public static INDArray apply(INDArray x, INDArray left, INDArray right) {
    long n = x.size(0);
    long c = x.size(1);
    long h = x.size(2);
    long w = x.size(3);
    long p = left.size(0);
    long q = right.size(0);
    INDArray alongW = x.dup('c').reshape('c', n * c * h, w).mmul(right.transpose()); // [N*C*H, Q]
    INDArray byRow = alongW.reshape('c', n * c, h, q).permute(1, 0, 2).dup('c').reshape('c', h, n * c * q);
    INDArray alongH = left.mmul(byRow); // [P, N*C*Q]
    return alongH.reshape('c', p, n * c, q).permute(1, 0, 2).dup('c').reshape('c', n, c, p, q);
  }
}
