package io.sr4j.loss;

import io.sr4j.nn.HostBuffers;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link ContextualCore} with a hand-derived backward pass. With z = (1 - dr) / h and g = dL/dCX:
 * <pre>
 * dL/dM_j   = -1 / (N (CS + logEps))                      M_j = max_i C_ij, CS = mean_j M_j
 * g_ij      = (1 - wSpatial) dL/dM_j at i = argmax_i C_ij of each column, else 0
 * dL/dz_ij  = CX_ij (g_ij - sum_k g_ik CX_ik)             softmax rows
 * R_ij      = dL/ddr_ij = -dL/dz_ij / h
 * dL/dd_ij  = R_ij / (m_i + eps) - [j == argmin_k d_ik] sum_k R_ik d_ik / (m_i + eps)^2
 * </pre>
 * then through the distance: cosine {@code dL/dI = (G - I^ rowsum(I^ .* G)) / |I - mu|} with
 * {@code G = -dL/dd T^ / 2}; squared L2 {@code dL/dI = 2 (rowsum(D) .* I - D T)} with D = dL/dd where the distance
 * is positive. It holds at most three N x N arrays at a time (N = 3969 in float: 63 MB each), never forms C and releases them
 * before it returns.
 */
final class ContextualAnalytic implements ContextualCore {
  private static final double NORM_FLOOR = 1e-12;

  private final Params p;

  ContextualAnalytic(Params p) {
    this.p = p;
  }

  /** The distances d [N, N] and how dL/dd becomes dL/dPrediction. */
  private interface Distances {
    INDArray d();

    INDArray backward(INDArray dLdd);
  }

  @Override
  public Result compute(INDArray prediction, INDArray target, INDArray mean) {
    int n = (int) prediction.rows();
    if (target.rows() != n || target.columns() != prediction.columns()) {
      throw new IllegalArgumentException("prediction " + java.util.Arrays.toString(prediction.shape())
          + " and target " + java.util.Arrays.toString(target.shape()) + " must both be [N, C]");
    }
    Distances dist = p.distance() == Distance.COSINE ? cosine(prediction, target, mean) : squaredL2(prediction, target);
    INDArray d = dist.d();
    INDArray denom = d.min(true, 1).addi(p.distanceEps()); // [N, 1]: m_i + eps
    long[] rowArgmin = Nd4j.argMin(d, 1).toLongVector();
    INDArray cx = d.divColumnVector(denom).rsubi(1).divi(p.bandWidth());
    Transforms.exp(cx, false);
    cx.diviColumnVector(cx.sum(true, 1));

    // column maxima of C = keep CX + wSpatial I, without forming C: the column's CX maximum or its diagonal
    double keep = 1 - p.wSpatial();
    long[] colArgmax = Nd4j.argMax(cx, 0).toLongVector();
    int[] winner = new int[n];
    double[] winnerCx = new double[n];
    double sumMax = 0;
    for (int j = 0; j < n; j++) {
      int r = (int) colArgmax[j];
      double viaMax = keep * cx.getDouble(r, j) + (r == j ? p.wSpatial() : 0);
      double viaDiag = keep * cx.getDouble(j, j) + p.wSpatial();
      if (viaDiag > viaMax) {
        r = j;
      }
      winner[j] = r;
      winnerCx[j] = cx.getDouble(r, j);
      sumMax += Math.max(viaMax, viaDiag);
    }
    double cs = sumMax / n;
    double loss = -Math.log(cs + p.logEps());

    double gCx = keep * (-1.0 / (n * (cs + p.logEps()))); // dL/dCX at each column's winner
    double[] rowDot = new double[n];
    for (int j = 0; j < n; j++) {
      rowDot[winner[j]] += gCx * winnerCx[j];
    }
    INDArray dz = cx.muliColumnVector(column(rowDot, cx).negi()); // CX_ij * (0 - rowDot_i)
    for (int j = 0; j < n; j++) {
      dz.putScalar(winner[j], j, dz.getDouble(winner[j], j) + gCx * winnerCx[j]);
    }
    INDArray r = dz.divi(-p.bandWidth()); // dL/ddr
    INDArray rd = r.mul(d);
    double[] minShare = rd.sum(1).toDoubleVector(); // sum_k R_ik d_ik
    HostBuffers.release(rd);
    double[] den = denom.toDoubleVector();
    INDArray dLdd = r.diviColumnVector(denom);
    for (int i = 0; i < n; i++) {
      int k = (int) rowArgmin[i];
      dLdd.putScalar(i, k, dLdd.getDouble(i, k) - minShare[i] / (den[i] * den[i]));
    }
    INDArray gradient = dist.backward(dLdd);
    HostBuffers.release(dLdd); // the N x N buffers are released now, not at the next garbage collection
    HostBuffers.release(d);
    return new Result(loss, gradient);
  }

  /** {@code values} as an [N, 1] column of {@code like}'s data type. */
  private static INDArray column(double[] values, INDArray like) {
    return Nd4j.createFromArray(values).reshape(values.length, 1).castTo(like.dataType());
  }

  private static Distances cosine(INDArray prediction, INDArray target, INDArray mean) {
    INDArray centred = prediction.subRowVector(mean);
    INDArray norm = centred.norm2(true, 1); // [N, 1]
    double[] rawNorm = norm.toDoubleVector();
    Transforms.max(norm, NORM_FLOOR, false);
    INDArray in = centred.divColumnVector(norm);
    INDArray tc = target.subRowVector(mean);
    INDArray tn = tc.diviColumnVector(Transforms.max(tc.norm2(true, 1), NORM_FLOOR, false));
    INDArray d = in.mmul(tn.transpose()).rsubi(1).divi(2);
    return new Distances() {
      @Override
      public INDArray d() {
        return d;
      }

      @Override
      public INDArray backward(INDArray dLdd) {
        INDArray gIn = dLdd.mmul(tn).muli(-0.5); // dL/d(normalised prediction)
        INDArray along = in.mul(gIn).sum(true, 1);
        INDArray g = gIn.sub(in.mulColumnVector(along)).diviColumnVector(norm);
        for (int i = 0; i < rawNorm.length; i++) {
          if (rawNorm[i] < NORM_FLOOR) { // the floor divides a constant: no projection
            g.putRow(i, gIn.getRow(i).div(NORM_FLOOR));
          }
        }
        return g;
      }
    };
  }

  /**
   * Squared Euclidean distances {@code |i|^2 - 2 i.t + |t|^2}, clamped at 0 as the official code does; both sides
   * are first centred on the target's mean (distances are unchanged, the rounding error of the expansion shrinks).
   */
  private static Distances squaredL2(INDArray prediction, INDArray target) {
    INDArray centre = target.mean(true, 0);
    INDArray i = prediction.subRowVector(centre);
    INDArray t = target.subRowVector(centre);
    INDArray ri = i.mul(i).sum(true, 1); // [N, 1]
    INDArray rt = t.mul(t).sum(true, 1).reshape(1, t.rows());
    INDArray d = Transforms.relu(i.mmul(t.transpose()).muli(-2).addiColumnVector(ri).addiRowVector(rt), false);
    return new Distances() {
      @Override
      public INDArray d() {
        return d;
      }

      @Override
      public INDArray backward(INDArray dLdd) {
        INDArray active = Transforms.sign(d, true); // 1 where d > 0, 0 where the clamp is active
        dLdd.muli(active);
        HostBuffers.release(active);
        return i.mulColumnVector(dLdd.sum(true, 1)).subi(dLdd.mmul(t)).muli(2);
      }
    };
  }
}
