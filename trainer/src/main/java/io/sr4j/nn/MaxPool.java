package io.sr4j.nn;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Max pooling of NCHW inputs without padding, as torchvision's {@code MaxPool2d(kernel, stride)}: output size
 * {@code floor((in - kernel) / stride) + 1}. Same values as DL4J's {@code SubsamplingLayer} (MAX, truncate mode),
 * on oneDNN's pooling primitives for float on the CPU backend (DL4J's layer runs libnd4j's generic kernels forward
 * and backward, ~25 ms per VGG-19 forward pass at 4x3x128x128 on 2 cores).
 */
public class MaxPool extends ParameterFreeVertex {
  private final int kernel;
  private final int stride;

  public MaxPool(@JsonProperty("kernel") int kernel, @JsonProperty("stride") int stride) {
    if (kernel < 1 || stride < 1) {
      throw new IllegalArgumentException("MaxPool: kernel and stride must be >= 1, got " + kernel + ", " + stride);
    }
    this.kernel = kernel;
    this.stride = stride;
  }

  public int getKernel() {
    return kernel;
  }

  public int getStride() {
    return stride;
  }

  @Override
  public MaxPool clone() {
    return new MaxPool(kernel, stride);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MaxPool p && p.kernel == kernel && p.stride == stride;
  }

  @Override
  public int hashCode() {
    return kernel * 31 + stride;
  }

  @Override
  public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
      INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
    return new MaxPoolVertex(graph, name, idx, kernel, stride, networkDatatype);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
    InputType.InputTypeConvolutional in = cnnInput(vertexInputs);
    if (in.getHeight() < kernel || in.getWidth() < kernel) {
      throw new InvalidInputTypeException("MaxPool " + kernel + "x" + kernel + ": input " + in.getHeight() + "x"
          + in.getWidth() + " is smaller than the window");
    }
    return InputType.convolutional((in.getHeight() - kernel) / stride + 1, (in.getWidth() - kernel) / stride + 1,
        in.getChannels());
  }

  @Override
  public String toString() {
    return "MaxPool(kernel=" + kernel + ", stride=" + stride + ")";
  }
}
