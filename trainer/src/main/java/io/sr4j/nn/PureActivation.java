package io.sr4j.nn;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A parameter-free activation vertex that never modifies its input. DL4J's {@code ActivationLayer} applies its
 * function in place during inference, which overwrites the previous vertex's output; that breaks graphs that also
 * output the pre-activation values (VGG features "before activation" of intermediate layers).
 */
public class PureActivation extends ParameterFreeVertex {
  private final IActivation function;

  public PureActivation(@JsonProperty("function") IActivation function) {
    this.function = function;
  }

  public IActivation getFunction() {
    return function;
  }

  @Override
  public PureActivation clone() {
    return new PureActivation(function);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PureActivation a && a.function.equals(function);
  }

  @Override
  public int hashCode() {
    return function.hashCode() * 17 + 3;
  }

  @Override
  public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
      INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
    return new PureActivationVertex(graph, name, idx, function, networkDatatype);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
    return cnnInput(vertexInputs);
  }

  @Override
  public String toString() {
    return "PureActivation(" + function + ")";
  }
}
