package io.sr4j.nn;

import java.util.Arrays;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runtime vertex of {@link PixelShuffle} (PyTorch CRD order); backprop applies the exact inverse permutation. */
public class PixelShuffleVertex extends SingleInputVertex {

  private final int r;

  public PixelShuffleVertex(ComputationGraph graph, String name, int vertexIndex, int upscaleFactor,
      DataType dataType) {
    super(graph, name, vertexIndex, dataType);
    this.r = upscaleFactor;
  }

  @Override
  public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
    INDArray x = input("PixelShuffle");
    if (x.size(1) % ((long) r * r) != 0) {
      throw new IllegalArgumentException("PixelShuffle(" + r + ") " + vertexName
          + ": expected [N, C*" + r * r + ", H, W], got " + Arrays.toString(x.shape()));
    }
    long n = x.size(0);
    long c = x.size(1) / ((long) r * r);
    long h = x.size(2);
    long w = x.size(3);
    // [N, C*r*r, H, W] -> [N, C, r_i, r_j, H, W] -> [N, C, H, r_i, W, r_j] -> [N, C, H*r, W*r]
    INDArray shuffled = x.reshape('c', n, c, r, r, h, w).permute(0, 1, 4, 2, 5, 3);
    return workspaceMgr.dup(ArrayType.ACTIVATIONS, shuffled, 'c').reshape('c', n, c, h * r, w * r);
  }

  @Override
  public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
    INDArray dOut = epsilon("PixelShuffle");
    long n = dOut.size(0);
    long c = dOut.size(1);
    long h = dOut.size(2) / r;
    long w = dOut.size(3) / r;
    // [N, C, H*r, W*r] -> [N, C, H, r_i, W, r_j] -> [N, C, r_i, r_j, H, W] -> [N, C*r*r, H, W]
    INDArray unshuffled = dOut.reshape('c', n, c, h, r, w, r).permute(0, 1, 3, 5, 2, 4);
    INDArray eps = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, unshuffled, 'c').reshape('c', n, c * r * r, h, w);
    return new Pair<>(null, new INDArray[] {eps});
  }

  @Override
  public String toString() {
    return "PixelShuffleVertex(name=" + vertexName + ", r=" + r + ")";
  }
}
