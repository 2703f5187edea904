package io.sr4j.nn;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Fixed per-channel affine map {@code y[n,c,h,w] = x[n,c,h,w] * scale[c] + shift[c]} with no trainable parameters;
 * e.g. the ImageNet normalisation {@code (x - mean) / std} in front of a VGG feature extractor. Backprop multiplies
 * by {@code scale[c]}.
 */
public class ChannelAffine extends ParameterFreeVertex {
  private final double[] scale;
  private final double[] shift;

  public ChannelAffine(@JsonProperty("scale") double[] scale, @JsonProperty("shift") double[] shift) {
    if (scale.length != shift.length || scale.length == 0) {
      throw new IllegalArgumentException("ChannelAffine: scale and shift need one value per channel, got "
          + scale.length + " and " + shift.length);
    }
    this.scale = scale.clone();
    this.shift = shift.clone();
  }

  public double[] getScale() {
    return scale.clone();
  }

  public double[] getShift() {
    return shift.clone();
  }

  @Override
  public ChannelAffine clone() {
    return new ChannelAffine(scale, shift);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChannelAffine c && Arrays.equals(c.scale, scale) && Arrays.equals(c.shift, shift);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(scale) + Arrays.hashCode(shift);
  }

  @Override
  public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
      INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
    return new ChannelAffineVertex(graph, name, idx, scale, shift, networkDatatype);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
    InputType.InputTypeConvolutional in = cnnInput(vertexInputs);
    if (in.getChannels() != scale.length) {
      throw new org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException("ChannelAffine: " + scale.length
          + " channels configured, input has " + in.getChannels());
    }
    return in;
  }

  @Override
  public String toString() {
    return "ChannelAffine(scale=" + Arrays.toString(scale) + ", shift=" + Arrays.toString(shift) + ")";
  }
}
