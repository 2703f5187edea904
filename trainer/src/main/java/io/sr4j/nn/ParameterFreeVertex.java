package io.sr4j.nn;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;

/** Configuration side shared by single-input, parameter-free NCHW vertices. */
abstract class ParameterFreeVertex extends GraphVertex {
  @Override
  public long numParams(boolean backprop) {
    return 0;
  }

  @Override
  public int minVertexInputs() {
    return 1;
  }

  @Override
  public int maxVertexInputs() {
    return 1;
  }

  /** The NCHW input type, checked. */
  InputType.InputTypeConvolutional cnnInput(InputType... vertexInputs) {
    if (vertexInputs.length != 1 || !(vertexInputs[0] instanceof InputType.InputTypeConvolutional in)
        || in.getFormat() != CNN2DFormat.NCHW) {
      throw new InvalidInputTypeException(getClass().getSimpleName() + ": expected one NCHW CNN input, got "
          + Arrays.toString(vertexInputs));
    }
    return in;
  }

  @Override
  public MemoryReport getMemoryReport(InputType... inputTypes) {
    InputType out = getOutputType(-1, inputTypes);
    return new LayerMemoryReport.Builder(null, getClass(), inputTypes[0], out)
        .standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
  }
}
