package io.sr4j.nn;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime vertex of {@link BilinearUpsample}: {@code Y = A_h X A_w^T} for every [H, W] plane, with the sparse
 * interpolation matrices A ([H*s, H]); backprop is {@code dX = A_h^T dY A_w}.
 */
public class BilinearUpsampleVertex extends SingleInputVertex {
  private final int factor;

  BilinearUpsampleVertex(ComputationGraph graph, String name, int idx, int factor, DataType type) {
    super(graph, name, idx, type);
    this.factor = factor;
  }

  /** [n*s, n] matrix of PyTorch's align_corners=False bilinear weights along one axis. */
  static INDArray interpolationMatrix(int n, int s, DataType type) {
    double[][] a = new double[n * s][n];
    for (int o = 0; o < n * s; o++) {
      double src = Math.max((o + 0.5) / s - 0.5, 0);
      int i0 = (int) src;
      int i1 = Math.min(i0 + 1, n - 1);
      double lambda = src - i0;
      a[o][i0] += 1 - lambda;
      a[o][i1] += lambda;
    }
    return Nd4j.create(a).castTo(type);
  }

  @Override
  public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
    INDArray x = input("BilinearUpsample");
    INDArray ah = interpolationMatrix((int) x.size(2), factor, x.dataType());
    INDArray aw = interpolationMatrix((int) x.size(3), factor, x.dataType());
    return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, PlaneMatmul.apply(x, ah, aw));
  }

  @Override
  public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
    INDArray eps = epsilon("BilinearUpsample");
    INDArray ah = interpolationMatrix((int) (eps.size(2) / factor), factor, eps.dataType());
    INDArray aw = interpolationMatrix((int) (eps.size(3) / factor), factor, eps.dataType());
    INDArray dx = PlaneMatmul.apply(eps, ah.transpose(), aw.transpose());
    return new Pair<>(null, new INDArray[] {workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, dx)});
  }

  @Override
  public String toString() {
    return "BilinearUpsampleVertex(name=" + vertexName + ", factor=" + factor + ")";
  }
}
