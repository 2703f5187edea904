package io.sr4j.nn;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;
import org.deeplearning4j.nn.gradient.Gradient;

/** Runtime vertex of {@link ChannelAffine}. */
public class ChannelAffineVertex extends SingleInputVertex {
  private final INDArray scale; // [C]
  private final INDArray shift; // [C]

  ChannelAffineVertex(ComputationGraph graph, String name, int idx, double[] scale, double[] shift, DataType type) {
    super(graph, name, idx, type);
    this.scale = Nd4j.createFromArray(scale).castTo(type);
    this.shift = Nd4j.createFromArray(shift).castTo(type);
  }

  @Override
  public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
    INDArray x = input("ChannelAffine"); // [N, C, H, W]
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape(), 'c');
    Broadcast.mul(x, scale.castTo(x.dataType()), out, 1);
    return Broadcast.add(out, shift.castTo(x.dataType()), out, 1);
  }

  @Override
  public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
    INDArray eps = epsilon("ChannelAffine");
    INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, eps.dataType(), eps.shape(), 'c');
    Broadcast.mul(eps, scale.castTo(eps.dataType()), dx, 1);
    return new Pair<>(null, new INDArray[] {dx});
  }

  @Override
  public String toString() {
    return "ChannelAffineVertex(name=" + vertexName + ")";
  }
}
