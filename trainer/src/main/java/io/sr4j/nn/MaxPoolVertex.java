package io.sr4j.nn;

import java.util.Arrays;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime vertex of {@link MaxPool}: oneDNN pooling ({@link DnnlMaxPool}) for float on the CPU backend, libnd4j's
 * {@code maxpool2d} / {@code maxpool2d_bp} otherwise (as DL4J's SubsamplingLayer). A training-mode forward pass keeps
 * what its backward pass needs (oneDNN's workspace) until the next forward pass or {@code clear}, so the same pass
 * can be backpropagated more than once.
 */
public class MaxPoolVertex extends SingleInputVertex {
  private final int kernel;
  private final int stride;
  /** oneDNN workspace of the last training-mode forward pass (oneDNN path), else null. */
  private INDArray workspace;
  /** The memory of the last workspace, kept after {@code clear} for the next training pass of the same shape. */
  private INDArray workspaceMemory;

  MaxPoolVertex(ComputationGraph graph, String name, int idx, int kernel, int stride, DataType type) {
    super(graph, name, idx, type);
    this.kernel = kernel;
    this.stride = stride;
  }

  @Override
  public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
    INDArray x = input("MaxPool");
    workspace = null;
    if (x.size(2) < kernel || x.size(3) < kernel) {
      throw new IllegalArgumentException("MaxPool " + vertexName + ": input " + Arrays.toString(x.shape())
          + " is smaller than the " + kernel + "x" + kernel + " window");
    }
    DnnlMaxPool.Shape shape = shape(x);
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), shape.dst(), 'c');
    if (onednn(x)) {
      DnnlMaxPool.Kernels k = DnnlMaxPool.kernels(shape);
      if (training) {
        if (!k.workspaceFits(workspaceMemory)) {
          workspaceMemory = k.newWorkspace();
        }
        workspace = workspaceMemory;
      }
      k.forward(DnnlConvolution.dense(x), out, workspace);
      return out;
    }
    Nd4j.exec(DynamicCustomOp.builder("maxpool2d").addInputs(x).addOutputs(out).addIntegerArguments(args()).build());
    return out;
  }

  @Override
  public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
    INDArray eps = epsilon("MaxPool");
    INDArray x = inputs[0];
    INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, x.dataType(), x.shape(), 'c');
    if (onednn(x)) {
      if (workspace == null) {
        throw new IllegalStateException("MaxPool " + vertexName + ": backprop needs a training-mode forward pass");
      }
      DnnlMaxPool.kernels(shape(x)).backward(DnnlConvolution.dense(eps.castTo(x.dataType())), workspace, dx);
    } else {
      Nd4j.exec(DynamicCustomOp.builder("maxpool2d_bp").addInputs(x, eps.castTo(x.dataType())).addOutputs(dx)
          .addIntegerArguments(args()).build());
    }
    return new Pair<>(null, new INDArray[] {dx});
  }

  @Override
  public void clear() {
    super.clear();
    workspace = null;
  }

  /** libnd4j's pooling arguments: window, stride, no padding, dilation 1, truncate mode, unused, NCHW. */
  private int[] args() {
    return new int[] {kernel, kernel, stride, stride, 0, 0, 1, 1, 0, 0, 0};
  }

  private DnnlMaxPool.Shape shape(INDArray x) {
    return new DnnlMaxPool.Shape(x.size(0), x.size(1), x.size(2), x.size(3), kernel, stride);
  }

  private static boolean onednn(INDArray x) {
    return DnnlConvolution.enabledFor(x.dataType());
  }

  @Override
  public String toString() {
    return "MaxPoolVertex(name=" + vertexName + ", kernel=" + kernel + ", stride=" + stride + ")";
  }
}
