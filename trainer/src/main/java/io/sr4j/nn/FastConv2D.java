package io.sr4j.nn;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * 2-D convolution layer (NCHW activations, OIHW weights as in PyTorch). Float networks on the CPU backend run on the
 * project's own oneDNN primitives ({@link DnnlConvolution}); otherwise (CUDA, double precision, or the system
 * property {@code -Dsr4j.conv=libnd4j}) the forward and backward passes run libnd4j's {@code conv2d} /
 * {@code conv2d_bp} ops (cuDNN on CUDA). See {@link FastConv2DLayer}.
 *
 * <p>Parameters: {@code "W"} of shape [nOut, nIn, kH, kW] and, unless {@code hasBias(false)}, {@code "b"} of
 * shape [nOut]. Output size per spatial dimension is {@code floor((in + 2*pad - k) / stride) + 1}, where
 * {@code pad} depends on the {@link Padding} mode; graphs accept any H x W at runtime.
 *
 * <p>Training semantics: everything DL4J applies outside the layer (updaters, l1/l2/weight decay, gradient
 * normalisation, constraints) works as for a stock {@code ConvolutionLayer}. Dropout and weight noise on this layer
 * are rejected when the layer is instantiated.
 *
 * <p>Unlike other DL4J layers the activation defaults to identity (as a PyTorch {@code Conv2d}); the graph-wide
 * default activation does not apply.
 */
public class FastConv2D extends FeedForwardLayer {

  /** How the input is padded before the convolution. */
  public enum Padding {
    /** Zero padding of {@code k/2} on each side (odd kernels only): PyTorch {@code padding=k//2}. */
    SAME,
    /** Zero padding of ({@code padH}, {@code padW}) on each side: PyTorch {@code padding=(padH, padW)}. */
    EXPLICIT,
    /**
     * Edge (replicate) padding of {@code k/2} on each side followed by a valid convolution (odd kernels only):
     * MATLAB {@code imfilter(x, w, 'same', 'replicate')}, which like this layer is a correlation.
     */
    REPLICATE
  }

  private int[] kernelSize;
  private int[] stride;
  private int[] padding;
  private Padding paddingMode;
  private boolean hasBias;
  private boolean inputGradient = true;

  /** For JSON deserialisation only. */
  public FastConv2D() {
  }

  private FastConv2D(Builder b) {
    super(b);
    this.kernelSize = b.kernelSize.clone();
    this.stride = b.stride.clone();
    this.padding = b.padding.clone();
    this.paddingMode = b.paddingMode;
    this.hasBias = b.hasBias;
    this.inputGradient = b.inputGradient;
    if (this.activationFn == null) {
      this.activationFn = new ActivationIdentity();
    }
    initializeConstraints(b);
  }

  /** Padding per side, [padH, padW]: zero padding for SAME and EXPLICIT, edge padding for REPLICATE. */
  int[] effectivePadding() {
    if (paddingMode == Padding.EXPLICIT) {
      return padding.clone();
    }
    return new int[] {kernelSize[0] / 2, kernelSize[1] / 2};
  }

  /** Output spatial size [outH, outW] for an input of inH x inW. */
  int[] outputSize(long inH, long inW) {
    int[] pad = effectivePadding();
    if (inH + 2L * pad[0] < kernelSize[0] || inW + 2L * pad[1] < kernelSize[1]) {
      throw new IllegalArgumentException("FastConv2D \"" + getLayerName() + "\": input " + inH + "x" + inW
          + " with padding " + Arrays.toString(pad) + " is smaller than kernel "
          + Arrays.toString(kernelSize));
    }
    long outH = (inH + 2L * pad[0] - kernelSize[0]) / stride[0] + 1;
    long outW = (inW + 2L * pad[1] - kernelSize[1]) / stride[1] + 1;
    return new int[] {Math.toIntExact(outH), Math.toIntExact(outW)};
  }

  @Override
  public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
      Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
      boolean initializeParams, DataType networkDataType) {
    LayerValidation.assertNInNOutSet("FastConv2D", getLayerName(), layerIndex, getNIn(), getNOut());
    if (getIDropout() != null) {
      throw new UnsupportedOperationException("FastConv2D \"" + getLayerName()
          + "\" does not support dropout (configured: " + getIDropout() + ")");
    }
    if (getWeightNoise() != null) {
      throw new UnsupportedOperationException("FastConv2D \"" + getLayerName()
          + "\" does not support weight noise (configured: " + getWeightNoise() + ")");
    }
    FastConv2DLayer layer = new FastConv2DLayer(conf, networkDataType);
    layer.setListeners(trainingListeners);
    layer.setIndex(layerIndex);
    layer.setParamsViewArray(layerParamsView);
    Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
    layer.setParamTable(params);
    layer.setConf(conf);
    return layer;
  }

  @Override
  public ParamInitializer initializer() {
    return FastConv2DParamInitializer.getInstance();
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    InputType.InputTypeConvolutional in = requireNchw(inputType);
    int[] out = outputSize(in.getHeight(), in.getWidth());
    return InputType.convolutional(out[0], out[1], nOut, CNN2DFormat.NCHW);
  }

  @Override
  public void setNIn(InputType inputType, boolean override) {
    InputType.InputTypeConvolutional in = requireNchw(inputType);
    if (nIn <= 0 || override) {
      nIn = in.getChannels();
    }
  }

  @Override
  public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
    if (inputType == null) {
      throw new IllegalStateException("FastConv2D \"" + getLayerName() + "\": input type is null");
    }
    return InputTypeUtil.getPreProcessorForInputTypeCnnLayers(inputType, getLayerName());
  }

  private InputType.InputTypeConvolutional requireNchw(InputType inputType) {
    if (!(inputType instanceof InputType.InputTypeConvolutional)) {
      throw new IllegalStateException("FastConv2D \"" + getLayerName() + "\": expected CNN input, got "
          + inputType);
    }
    InputType.InputTypeConvolutional c = (InputType.InputTypeConvolutional) inputType;
    if (c.getFormat() != CNN2DFormat.NCHW) {
      throw new IllegalStateException("FastConv2D \"" + getLayerName() + "\": only NCHW is supported, got "
          + c.getFormat());
    }
    return c;
  }

  @Override
  public LayerMemoryReport getMemoryReport(InputType inputType) {
    InputType.InputTypeConvolutional out = (InputType.InputTypeConvolutional) getOutputType(-1, inputType);
    long numParams = initializer().numParams(this);
    long updaterState = getIUpdater() == null ? 0 : getIUpdater().stateSize(numParams);
    // Training keeps the pre-activation output for backprop; REPLICATE also needs a padded input copy.
    long outPerEx = out.arrayElementsPerExample();
    long paddedPerEx = 0;
    if (paddingMode == Padding.REPLICATE) {
      InputType.InputTypeConvolutional in = (InputType.InputTypeConvolutional) inputType;
      int[] pad = effectivePadding();
      paddedPerEx = in.getChannels() * (in.getHeight() + 2L * pad[0]) * (in.getWidth() + 2L * pad[1]);
    }
    return new LayerMemoryReport.Builder(getLayerName(), FastConv2D.class, inputType, out)
        .standardMemory(numParams, updaterState)
        .workingMemory(0, paddedPerEx, 0, paddedPerEx + outPerEx)
        .cacheMemory(0, 0)
        .build();
  }

  @Override
  public boolean isPretrainParam(String paramName) {
    return false;
  }

  @Override
  public FastConv2D clone() {
    FastConv2D c = (FastConv2D) super.clone();
    c.kernelSize = kernelSize == null ? null : kernelSize.clone();
    c.stride = stride == null ? null : stride.clone();
    c.padding = padding == null ? null : padding.clone();
    return c;
  }

  /** @return [kH, kW] */
  public int[] getKernelSize() {
    return kernelSize;
  }

  public void setKernelSize(int[] kernelSize) {
    this.kernelSize = kernelSize;
  }

  /** @return [strideH, strideW] */
  public int[] getStride() {
    return stride;
  }

  public void setStride(int[] stride) {
    this.stride = stride;
  }

  /** @return explicit zero padding [padH, padW]; only used in {@link Padding#EXPLICIT} mode */
  public int[] getPadding() {
    return padding;
  }

  public void setPadding(int[] padding) {
    this.padding = padding;
  }

  public Padding getPaddingMode() {
    return paddingMode;
  }

  public void setPaddingMode(Padding paddingMode) {
    this.paddingMode = paddingMode;
  }

  public boolean isHasBias() {
    return hasBias;
  }

  public void setHasBias(boolean hasBias) {
    this.hasBias = hasBias;
  }

  /** @return true if the layer has a bias parameter "b" */
  public boolean hasBias() {
    return hasBias;
  }

  /** False for a layer fed by the network input, whose input gradient nobody needs: backprop then skips it. */
  public boolean isInputGradient() {
    return inputGradient;
  }

  public void setInputGradient(boolean inputGradient) {
    this.inputGradient = inputGradient;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof FastConv2D) || !super.equals(o)) {
      return false;
    }
    FastConv2D other = (FastConv2D) o;
    return hasBias == other.hasBias && inputGradient == other.inputGradient && paddingMode == other.paddingMode
        && Arrays.equals(kernelSize, other.kernelSize) && Arrays.equals(stride, other.stride)
        && Arrays.equals(padding, other.padding);
  }

  @Override
  protected boolean canEqual(Object other) {
    return other instanceof FastConv2D;
  }

  @Override
  public int hashCode() {
    return Objects.hash(super.hashCode(), Arrays.hashCode(kernelSize), Arrays.hashCode(stride),
        Arrays.hashCode(padding), paddingMode, hasBias, inputGradient);
  }

  @Override
  public String toString() {
    return "FastConv2D(name=" + getLayerName() + ", nIn=" + nIn + ", nOut=" + nOut + ", kernel="
        + Arrays.toString(kernelSize) + ", stride=" + Arrays.toString(stride) + ", padding=" + paddingMode
        + (paddingMode == Padding.EXPLICIT ? Arrays.toString(padding) : "") + ", bias=" + hasBias
        + (inputGradient ? "" : ", no input gradient")
        + ", activation=" + activationFn + ")";
  }

  /**
   * Builder in the DL4J style: {@code new FastConv2D.Builder(3, 3).nIn(64).nOut(64).stride(1, 1)
   * .paddingMode(Padding.SAME).activation(new ActivationLReLU(0.2)).weightInit(...).build()}.
   * Defaults: stride 1, {@link Padding#SAME}, bias on, identity activation.
   */
  public static class Builder extends FeedForwardLayer.Builder<Builder> {
    private int[] kernelSize;
    private int[] stride = {1, 1};
    private int[] padding = {0, 0};
    private Padding paddingMode = Padding.SAME;
    private boolean hasBias = true;
    private boolean inputGradient = true;

    /** Square kernel k x k. */
    public Builder(int kernel) {
      this(kernel, kernel);
    }

    /** Kernel kH x kW. */
    public Builder(int kernelH, int kernelW) {
      this.kernelSize = new int[] {kernelH, kernelW};
    }

    public Builder kernelSize(int kernelH, int kernelW) {
      this.kernelSize = new int[] {kernelH, kernelW};
      return this;
    }

    public Builder stride(int strideH, int strideW) {
      this.stride = new int[] {strideH, strideW};
      return this;
    }

    /** Selects the padding mode; {@link Padding#EXPLICIT} uses the values set by {@link #padding(int, int)}. */
    public Builder paddingMode(Padding mode) {
      this.paddingMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** Explicit zero padding per side (PyTorch {@code padding=(padH, padW)}); selects {@link Padding#EXPLICIT}. */
    public Builder padding(int padH, int padW) {
      this.padding = new int[] {padH, padW};
      this.paddingMode = Padding.EXPLICIT;
      return this;
    }

    /**
     * {@code false} for the first layer of a network whose input gradient is never used (a generator's): backprop
     * computes only the parameter gradients (for stride 1, with a cheaper path) and passes no gradient back.
     */
    public Builder inputGradient(boolean inputGradient) {
      this.inputGradient = inputGradient;
      return this;
    }

    public Builder hasBias(boolean hasBias) {
      this.hasBias = hasBias;
      return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public FastConv2D build() {
      requirePositive(kernelSize, "kernel size");
      requirePositive(stride, "stride");
      if (padding[0] < 0 || padding[1] < 0) {
        throw new IllegalArgumentException("FastConv2D: padding must be >= 0, got " + Arrays.toString(padding));
      }
      if (paddingMode != Padding.EXPLICIT && (kernelSize[0] % 2 == 0 || kernelSize[1] % 2 == 0)) {
        throw new IllegalArgumentException("FastConv2D: padding mode " + paddingMode
            + " needs an odd kernel, got " + Arrays.toString(kernelSize) + "; use padding(ph, pw)");
      }
      return new FastConv2D(this);
    }

    private static void requirePositive(int[] v, String what) {
      if (v == null || v.length != 2 || v[0] < 1 || v[1] < 1) {
        throw new IllegalArgumentException("FastConv2D: " + what + " must be two values >= 1, got "
            + Arrays.toString(v));
      }
    }
  }
}
