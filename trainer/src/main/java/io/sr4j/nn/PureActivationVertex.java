package io.sr4j.nn;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runtime vertex of {@link PureActivation}: works on copies, so the input stays intact. */
public class PureActivationVertex extends SingleInputVertex {
  private final IActivation function;

  PureActivationVertex(ComputationGraph graph, String name, int idx, IActivation function, DataType type) {
    super(graph, name, idx, type);
    this.function = function;
  }

  @Override
  public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
    INDArray x = input("PureActivation");
    return function.getActivation(workspaceMgr.dup(ArrayType.ACTIVATIONS, x, 'c'), training);
  }

  @Override
  public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
    INDArray eps = epsilon("PureActivation");
    INDArray in = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, inputs[0], 'c');
    INDArray dx = function.backprop(in, workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, eps, 'c')).getFirst();
    return new Pair<>(null, new INDArray[] {dx});
  }

  @Override
  public String toString() {
    return "PureActivationVertex(name=" + vertexName + ", " + function + ")";
  }
}
