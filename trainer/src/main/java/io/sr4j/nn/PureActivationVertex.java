package io.sr4j.nn;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime vertex of {@link PureActivation}: writes new arrays, so the input stays intact. A (leaky) ReLU through the
 * origin on float arrays on the CPU backend runs on oneDNN's elementwise primitives ({@link DnnlRelu}: one pass
 * forward, one backward from the kept input); other functions use their {@code IActivation} on copies.
 */
public class PureActivationVertex extends SingleInputVertex {
  private final IActivation function;

  PureActivationVertex(ComputationGraph graph, String name, int idx, IActivation function, DataType type) {
    super(graph, name, idx, type);
    this.function = function;
  }

  @Override
  public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
    INDArray x = input("PureActivation");
    double slope = dnnlReluSlope(x);
    if (!Double.isNaN(slope)) {
      INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, x.shape(), 'c');
      DnnlRelu.forward(slope, DnnlConvolution.dense(x), out);
      return out;
    }
    return function.getActivation(workspaceMgr.dup(ArrayType.ACTIVATIONS, x, 'c'), training);
  }

  @Override
  public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
    INDArray eps = epsilon("PureActivation");
    double slope = dnnlReluSlope(inputs[0]);
    if (!Double.isNaN(slope) && eps.dataType() == DataType.FLOAT) {
      INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, eps.shape(), 'c');
      DnnlRelu.backwardFromInput(slope, DnnlConvolution.dense(eps), DnnlConvolution.dense(inputs[0]), dx);
      return new Pair<>(null, new INDArray[] {dx});
    }
    INDArray in = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, inputs[0], 'c');
    INDArray dx = function.backprop(in, workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, eps, 'c')).getFirst();
    return new Pair<>(null, new INDArray[] {dx});
  }

  /** The negative-side slope if {@code x} goes through {@link DnnlRelu}, else NaN. */
  private double dnnlReluSlope(INDArray x) {
    return x.dataType() == DataType.FLOAT && DnnlConvolution.enabledFor(DataType.FLOAT)
        ? FastConv2DLayer.reluNegativeSlope(function) : Double.NaN;
  }

  @Override
  public String toString() {
    return "PureActivationVertex(name=" + vertexName + ", " + function + ")";
  }
}
