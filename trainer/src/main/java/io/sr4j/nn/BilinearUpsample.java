package io.sr4j.nn;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Parameter-free vertex equal to PyTorch {@code F.interpolate(x, scale_factor=s, mode='bilinear',
 * align_corners=False)} for an integer factor s: output sample o reads input coordinate
 * {@code max((o + 0.5) / s - 0.5, 0)}, linearly between its two neighbours (the last one repeated at the edge).
 */
public class BilinearUpsample extends ParameterFreeVertex {
  private final int factor;

  public BilinearUpsample(@JsonProperty("factor") int factor) {
    if (factor < 1) {
      throw new IllegalArgumentException("BilinearUpsample: factor must be >= 1, got " + factor);
    }
    this.factor = factor;
  }

  public int getFactor() {
    return factor;
  }

  @Override
  public BilinearUpsample clone() {
    return new BilinearUpsample(factor);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BilinearUpsample b && b.factor == factor;
  }

  @Override
  public int hashCode() {
    return 37 * factor + 11;
  }

  @Override
  public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
      INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
    return new BilinearUpsampleVertex(graph, name, idx, factor, networkDatatype);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
    InputType.InputTypeConvolutional in = cnnInput(vertexInputs);
    return InputType.convolutional(in.getHeight() * factor, in.getWidth() * factor, in.getChannels());
  }

  @Override
  public String toString() {
    return "BilinearUpsample(" + factor + ")";
  }
}
