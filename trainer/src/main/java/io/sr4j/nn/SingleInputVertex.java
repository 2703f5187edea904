package io.sr4j.nn;

import java.util.Arrays;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runtime side shared by single-input, parameter-free NCHW vertices. */
abstract class SingleInputVertex extends BaseGraphVertex {
  SingleInputVertex(ComputationGraph graph, String name, int idx, DataType type) {
    super(graph, name, idx, null, null, type);
  }

  @Override
  public boolean hasLayer() {
    return false;
  }

  @Override
  public Layer getLayer() {
    return null;
  }

  /** The [N, C, H, W] input, checked. */
  INDArray input(String what) {
    if (!canDoForward()) {
      throw new IllegalStateException(what + " " + vertexName + ": input not set");
    }
    INDArray x = inputs[0];
    if (x.rank() != 4) {
      throw new IllegalArgumentException(what + " " + vertexName + ": expected [N, C, H, W], got "
          + Arrays.toString(x.shape()));
    }
    return x;
  }

  /** dL/dOutput, checked. */
  INDArray epsilon(String what) {
    if (!canDoBackward()) {
      throw new IllegalStateException(what + " " + vertexName + ": input or epsilon not set");
    }
    return epsilon;
  }

  @Override
  public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
    if (backpropGradientsViewArray != null) {
      throw new IllegalStateException(vertexName + " has no parameters");
    }
  }

  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
      int minibatchSize) {
    if (maskArrays == null || maskArrays.length == 0 || maskArrays[0] == null) {
      return null;
    }
    throw new IllegalArgumentException(vertexName + ": mask arrays are not supported");
  }
}
