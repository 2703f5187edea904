package io.sr4j.nn;


import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Parameter-free graph vertex equal to PyTorch {@code pixel_shuffle(x, r)} (ONNX {@code DepthToSpace}, mode CRD):
 * [N, C*r*r, H, W] to [N, C, H*r, W*r] with {@code out[n, c, h*r + i, w*r + j] = in[n, c*r*r + i*r + j, h, w]}.
 * This differs from ND4J's {@code depthToSpace}, which uses the DCR channel order.
 *
 * <p>Usage: {@code graphBuilder.addVertex("up", new PixelShuffle(2), "conv")}.
 */
public class PixelShuffle extends ParameterFreeVertex {

  private final int upscaleFactor;

  /** @param upscaleFactor r >= 1 */
  public PixelShuffle(@JsonProperty("upscaleFactor") int upscaleFactor) {
    if (upscaleFactor < 1) {
      throw new IllegalArgumentException("PixelShuffle: upscale factor must be >= 1, got " + upscaleFactor);
    }
    this.upscaleFactor = upscaleFactor;
  }

  public int getUpscaleFactor() {
    return upscaleFactor;
  }

  @Override
  public PixelShuffle clone() {
    return new PixelShuffle(upscaleFactor);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PixelShuffle && ((PixelShuffle) o).upscaleFactor == upscaleFactor;
  }

  @Override
  public int hashCode() {
    return Integer.hashCode(upscaleFactor) * 31 + PixelShuffle.class.getSimpleName().hashCode();
  }

  @Override
  public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
      INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
    return new PixelShuffleVertex(graph, name, idx, upscaleFactor, networkDatatype);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType... vertexInputs) throws InvalidInputTypeException {
    InputType.InputTypeConvolutional in = cnnInput(vertexInputs);
    long rr = (long) upscaleFactor * upscaleFactor;
    if (in.getChannels() % rr != 0) {
      throw new InvalidInputTypeException("PixelShuffle(" + upscaleFactor + "): input channels "
          + in.getChannels() + " not divisible by " + rr);
    }
    return InputType.convolutional(in.getHeight() * upscaleFactor, in.getWidth() * upscaleFactor,
        in.getChannels() / rr, CNN2DFormat.NCHW);
  }

  @Override
  public String toString() {
    return "PixelShuffle(" + upscaleFactor + ")";
  }
}
