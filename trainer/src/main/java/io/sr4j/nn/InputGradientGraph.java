package io.sr4j.nn;

import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A {@link ComputationGraph} that returns dL/dInput as well as the parameter gradient for externally supplied
 * dL/dOutput, so that graphs can be chained (a discriminator or a VGG feature extractor into a generator).
 *
 * <p>Use: {@link #forwardTrain} (training-mode forward pass that keeps the layer inputs), then
 * {@link #backpropWithInputGradients}, or {@link #inputGradients} for a network that is frozen at that moment (VGG
 * features, a discriminator during the generator's step): dL/dInput alone, without parameter gradients
 * ({@link #inputGradientsKeepingState} to backpropagate the same pass once more). The graph must not end in an output
 * (loss) layer, and both its training and inference workspace modes must be {@link WorkspaceMode#NONE}: DL4J's
 * backprop leaves the input gradients in workspaces that are closed by the time it returns otherwise.
 */
public class InputGradientGraph extends ComputationGraph {

  /**
   * Result of {@link #backpropWithInputGradients}.
   *
   * @param parameters gradient of every parameter; its arrays are views of the graph's gradient buffer and are
   *                   overwritten by the next backprop (dup them to keep them)
   * @param inputs     dL/dInput per graph input, in the order of {@code getConfiguration().getNetworkInputs()};
   *                   detached copies, same shapes as the inputs (zeros for an input no output depends on)
   */
  public record Gradients(Gradient parameters, INDArray[] inputs) {
  }

  /**
   * Builds the graph (call {@code init}). DL4J BatchNormalization layers of {@code configuration} that
   * {@link BatchNorm} supports (graphs saved by earlier versions) are replaced by {@link BatchNorm} in place:
   * same parameters and outputs, faster kernels.
   *
   * @throws IllegalArgumentException unless the training and inference workspace modes are both NONE
   */
  public InputGradientGraph(ComputationGraphConfiguration configuration) {
    super(BatchNorm.upgrade(requireNoWorkspaces(configuration)));
  }

  /** Builds the graph from {@code configuration} and initialises its parameters. */
  public static InputGradientGraph create(ComputationGraphConfiguration configuration) {
    InputGradientGraph graph = new InputGradientGraph(configuration);
    graph.init();
    return graph;
  }

  private static ComputationGraphConfiguration requireNoWorkspaces(ComputationGraphConfiguration c) {
    if (c.getTrainingWorkspaceMode() != WorkspaceMode.NONE || c.getInferenceWorkspaceMode() != WorkspaceMode.NONE) {
      throw new IllegalArgumentException("InputGradientGraph needs trainingWorkspaceMode(NONE) and "
          + "inferenceWorkspaceMode(NONE); got training=" + c.getTrainingWorkspaceMode() + ", inference="
          + c.getInferenceWorkspaceMode());
    }
    return c;
  }

  /**
   * DL4J's initialisation, then the {@link BlockedLayouts} plan: activations between convolutions stay in oneDNN's
   * blocked layout where every vertex that reads them allows it (same values, fewer reorders).
   */
  @Override
  public void init(INDArray parameters, boolean cloneParametersArray) {
    boolean initialisedBefore = initCalled; // DL4J's init returns at once then
    super.init(parameters, cloneParametersArray);
    if (!initialisedBefore) {
      BlockedLayouts.apply(this);
    }
  }

  /** Puts {@code replacement} in the graph's layer list and, by reflection (it has no setter), in {@code vertex}. */
  void replaceLayer(LayerVertex vertex, Layer original, Layer replacement) {
    try {
      java.lang.reflect.Field field = LayerVertex.class.getDeclaredField("layer");
      field.setAccessible(true);
      field.set(vertex, replacement);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot replace the layer of vertex " + vertex.getVertexName(), e);
    }
    for (int i = 0; i < layers.length; i++) {
      if (layers[i] == original) {
        layers[i] = replacement;
      }
    }
  }

  /**
   * Training-mode forward pass that keeps every layer's input for a following
   * {@link #backpropWithInputGradients}.
   *
   * @return the network outputs, in the order of {@code getConfiguration().getNetworkOutputs()}
   */
  public INDArray[] forwardTrain(INDArray... inputs) {
    Map<String, INDArray> activations = feedForward(inputs, true, false);
    List<String> outputs = getConfiguration().getNetworkOutputs();
    INDArray[] out = new INDArray[outputs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = activations.get(outputs.get(i));
    }
    return out;
  }

  /**
   * Backpropagates {@code dLdOutputs} (one per network output, same shapes as the outputs of the preceding
   * {@link #forwardTrain}) and returns the parameter gradient and dL/dInput for every input. Clears the layer
   * states afterwards, so each call needs its own forward pass.
   */
  public Gradients backpropWithInputGradients(INDArray... dLdOutputs) {
    INDArray[] inputs = requireBackpropState(dLdOutputs);
    calcBackpropGradients(false, false, dLdOutputs);
    INDArray[] dLdIn = inputEpsilons(inputs);
    Gradient parameters = gradient();
    clearLayersStates();
    return new Gradients(parameters, dLdIn);
  }

  /**
   * dL/dInput for every input, in the order of {@code getConfiguration().getNetworkInputs()}, for {@code dLdOutputs}
   * after a {@link #forwardTrain}: the same values as {@link #backpropWithInputGradients}{@code .inputs()}, at the
   * cost of the input gradients alone. FastConv2D layers run only their backward-data pass and the project's
   * BatchNorm skips gamma, beta and the running statistics; other layers (dense, PReLU) still compute their small
   * parameter gradients. The parameter gradient buffer is left as it was. Clears the layer states afterwards.
   */
  public INDArray[] inputGradients(INDArray... dLdOutputs) {
    return inputGradients(false, dLdOutputs);
  }

  /**
   * {@link #inputGradients}, leaving the forward pass's state for one more backprop: a following
   * {@link #backpropWithInputGradients} without a new forward pass gives what it would have given after
   * {@link #forwardTrain} (a discriminator's pass on the SR batch serves the generator's step and then the
   * discriminator's own update). The layers must keep their state when asked ({@link KeepsBackpropState}) or hold none
   * that backprop clears (DL4J's dense layers, the activation vertices); every zoo discriminator does
   * (DiscriminatorUpdateTest).
   */
  public INDArray[] inputGradientsKeepingState(INDArray... dLdOutputs) {
    return inputGradients(true, dLdOutputs);
  }

  private INDArray[] inputGradients(boolean keepState, INDArray[] dLdOutputs) {
    INDArray[] inputs = requireBackpropState(dLdOutputs);
    setParameterGradients(false);
    keepBackpropState(keepState);
    try {
      calcBackpropGradients(false, false, dLdOutputs);
      return inputEpsilons(inputs);
    } finally {
      setParameterGradients(true);
      keepBackpropState(false);
      if (!keepState) {
        clearLayersStates();
      }
    }
  }

  /**
   * Declares that nothing writes this graph's parameter arrays in place from now on (a frozen feature network): its
   * convolutions keep their weights in oneDNN's layouts across passes instead of reordering them on every forward
   * pass (VGG-19's 20 M weights: three reorders per GAN step). Parameters set through {@code setParams},
   * {@code setParam} or {@code setParamTable} are picked up; writes into the arrays themselves are not.
   */
  public void declareConstantParameters() {
    for (org.deeplearning4j.nn.api.Layer layer : getLayers()) {
      if (layer instanceof FastConv2DLayer conv) {
        conv.setConstantWeights();
      }
    }
  }

  @Override
  public void setParams(INDArray params) {
    super.setParams(params);
    weightsChanged();
  }

  @Override
  public void setParam(String key, INDArray val) {
    super.setParam(key, val);
    weightsChanged();
  }

  @Override
  public void setParamTable(Map<String, INDArray> paramTable) {
    super.setParamTable(paramTable);
    weightsChanged();
  }

  private void weightsChanged() {
    if (getLayers() == null) {
      return; // before init
    }
    for (org.deeplearning4j.nn.api.Layer layer : getLayers()) {
      if (layer instanceof FastConv2DLayer conv) {
        conv.weightsChanged();
      }
    }
  }

  private void keepBackpropState(boolean keep) {
    for (org.deeplearning4j.nn.api.Layer layer : getLayers()) {
      if (layer instanceof KeepsBackpropState k) {
        k.keepBackpropState(keep);
      }
    }
  }

  private void setParameterGradients(boolean compute) {
    for (org.deeplearning4j.nn.api.Layer layer : getLayers()) {
      if (layer instanceof ParameterGradientSwitch s) {
        s.setParameterGradients(compute);
      }
    }
  }

  private INDArray[] requireBackpropState(INDArray[] dLdOutputs) {
    if (dLdOutputs == null || dLdOutputs.length != getNumOutputArrays()) {
      throw new IllegalArgumentException("Expected " + getNumOutputArrays() + " dL/dOutput arrays, got "
          + (dLdOutputs == null ? 0 : dLdOutputs.length));
    }
    INDArray[] inputs = getInputs();
    if (inputs == null) {
      throw new IllegalStateException("No inputs set: call forwardTrain(...) first");
    }
    return inputs;
  }

  /** Detached dL/dInput per graph input (zeros for an input no output depends on). */
  private INDArray[] inputEpsilons(INDArray[] inputs) {
    List<String> names = getConfiguration().getNetworkInputs();
    INDArray[] dLdIn = new INDArray[names.size()];
    for (int i = 0; i < dLdIn.length; i++) {
      INDArray eps = getVertex(names.get(i)).getEpsilon();
      dLdIn[i] = eps == null ? Nd4j.zerosLike(inputs[i]) : eps.dup();
    }
    return dLdIn;
  }
}
