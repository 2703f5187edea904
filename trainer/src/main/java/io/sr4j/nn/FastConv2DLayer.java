package io.sr4j.nn;

import java.util.Arrays;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Runtime layer of {@link FastConv2D}, NCHW with OIHW weights. Float layers on the CPU backend run on oneDNN
 * primitives of their own ({@link DnnlConvolution}: forward, backward-data, backward-weights, each computed only
 * when needed); otherwise, or with {@code -Dsr4j.conv=libnd4j}, forward = libnd4j {@code conv2d}, backward =
 * libnd4j {@code conv2d_bp} ({@code deconv2d} for the input gradient alone), which use cuDNN on CUDA. While
 * {@link #setParameterGradients} is off (a frozen network) backprop computes dL/dInput only.
 *
 * <p>In a training-mode forward pass with a non-identity activation, what the activation's backprop needs is kept
 * (in the ACTIVATIONS workspace, which lives until backprop) so that backprop does not run the convolution again. It
 * is dropped when a new input is set or the layer is cleared; if it is missing, backprop recomputes it.
 *
 * <p>ReLU and LeakyReLU (piecewise linear through 0) on the oneDNN path run inside the convolution's forward
 * primitive, and {@code dL/dz = dL/dOut * (out > 0 ? 1 : alpha)} is computed from the kept output (which has z's
 * sign) by one oneDNN primitive. On the libnd4j path they are computed as {@code out = z * slope(z)} with
 * {@code slope = z > 0 ? 1 : alpha}, and {@code dL/dz = dL/dOut * slope}: in ND4J M2.1 this is several times faster
 * than the activations' own ops. Both give the same values. Other activations use their {@code IActivation}
 * implementation on the kept pre-activation.
 */
public class FastConv2DLayer extends BaseLayer<FastConv2D> implements ParameterGradientSwitch, KeepsBackpropState {

  private static final int NCHW = 0;
  private static final int WEIGHTS_OIHW = 1;

  /**
   * From the last training-mode forward pass, [N, nOut, outH, outW]: the output for a (leaky) ReLU fused into the
   * oneDNN convolution, the slope dOut/dz for other (leaky) ReLUs, the pre-activation z for other non-identity
   * activations; null otherwise.
   */
  private INDArray backpropCache;

  /** This layer's weights in the layouts its oneDNN primitives want (oneDNN path only). */
  private final DnnlConvolution.Weights dnnlWeights = new DnnlConvolution.Weights();

  /** False while {@link InputGradientGraph#inputGradients} runs: backprop computes dL/dInput only. */
  private boolean parameterGradients = true;

  /** True while {@link InputGradientGraph#inputGradientsKeepingState} runs: backprop leaves the cache as it is. */
  private boolean keepState;

  /**
   * Whether this layer's input / output (and their gradients) are in the blocked layout {@code nChw16c} rather than
   * NCHW, as {@link BlockedLayouts} planned it for the graph (oneDNN path only).
   */
  private boolean blockedInput;
  private boolean blockedOutput;

  public FastConv2DLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  @Override
  public Type type() {
    return Type.CONVOLUTIONAL;
  }

  @Override
  public boolean hasBias() {
    return layerConf().hasBias();
  }

  @Override
  public boolean isPretrainLayer() {
    return false;
  }

  @Override
  public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
    super.setInput(input, workspaceMgr);
    backpropCache = null;
  }

  @Override
  public void clear() {
    super.clear();
    backpropCache = null;
  }

  @Override
  public void setParameterGradients(boolean compute) {
    this.parameterGradients = compute;
  }

  @Override
  public void keepBackpropState(boolean keep) {
    this.keepState = keep;
  }

  /**
   * Sets the layouts of this layer's input and output arrays (see {@link BlockedLayouts}): blocked {@code nChw16c}
   * or NCHW. Blocked arrays need the oneDNN path, zero padding and channel counts divisible by 16.
   */
  void setBlockedLayouts(boolean input, boolean output) {
    if (input && !canBlockInput() || output && !canBlockOutput()) {
      FastConv2D c = layerConf();
      throw new IllegalArgumentException("FastConv2D " + layerId() + " (" + dataType + ", " + c.getNIn() + " -> "
          + c.getNOut() + " channels, padding " + c.getPaddingMode() + ") cannot have a blocked "
          + (input && !canBlockInput() ? "input" : "output"));
    }
    this.blockedInput = input;
    this.blockedOutput = output;
  }

  /** Whether this layer can read its input in the blocked layout (oneDNN path, zero padding, 16k channels). */
  boolean canBlockInput() {
    FastConv2D c = layerConf();
    return DnnlConvolution.enabledFor(dataType) && c.getPaddingMode() != FastConv2D.Padding.REPLICATE
        && c.getNIn() % DnnlConvolution.CHANNEL_BLOCK == 0;
  }

  /** Whether this layer can write its output in the blocked layout (oneDNN path, 16k channels). */
  boolean canBlockOutput() {
    return DnnlConvolution.enabledFor(dataType) && layerConf().getNOut() % DnnlConvolution.CHANNEL_BLOCK == 0;
  }

  /** Declares that nothing writes this layer's weights in place any more (see {@link DnnlConvolution.Weights}). */
  void setConstantWeights() {
    dnnlWeights.setConstant();
  }

  /** New weights were set: the next forward pass reorders them, also when they are constant. */
  void weightsChanged() {
    dnnlWeights.invalidate();
  }

  /** Reorders of this layer's weights into oneDNN's layouts so far (for tests). */
  long weightReorders() {
    return dnnlWeights.reorders();
  }

  @Override
  public void setParams(INDArray params) {
    // Parameters are laid out in c order (see FastConv2DParamInitializer).
    setParams(params, 'c');
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    INDArray z = convolve(convInput(ArrayType.FF_WORKING_MEM, workspaceMgr), ArrayType.ACTIVATIONS, workspaceMgr);
    IActivation activation = layerConf().getActivationFn();
    backpropCache = null;
    if (!Double.isNaN(fusedReluSlope())) {
      if (training) {
        backpropCache = z; // the output
      }
      return z;
    }
    if (activation instanceof ActivationIdentity) {
      return z;
    }
    ArrayType cacheType = training ? ArrayType.ACTIVATIONS : ArrayType.FF_WORKING_MEM;
    double negativeSlope = reluNegativeSlope(activation);
    if (Double.isNaN(negativeSlope)) {
      if (training) {
        backpropCache = workspaceMgr.dup(cacheType, z);
      }
      return activation.getActivation(z, training);
    }
    INDArray slope = slope(z, negativeSlope, cacheType, workspaceMgr);
    if (training) {
      backpropCache = slope;
    }
    return z.muli(slope);
  }

  /**
   * Negative-side slope if {@code activation} is a ReLU or LeakyReLU through the origin (no threshold or cap),
   * else NaN.
   */
  static double reluNegativeSlope(IActivation activation) {
    if (activation instanceof ActivationLReLU) {
      return ((ActivationLReLU) activation).getAlpha();
    }
    if (activation instanceof ActivationReLU) {
      ActivationReLU relu = (ActivationReLU) activation;
      boolean throughOrigin = relu.getThreshold() == null || relu.getThreshold() == 0.0;
      if (relu.getMax() == null && throughOrigin) {
        return relu.getNegativeSlope() == null ? 0.0 : relu.getNegativeSlope();
      }
    }
    return Double.NaN;
  }

  /**
   * The negative-side slope of this layer's (leaky) ReLU if it runs inside the oneDNN convolution (float on the CPU
   * backend; a slope of at least 0, so that the output has z's sign for the backward pass), else NaN.
   */
  private double fusedReluSlope() {
    double slope = DnnlConvolution.enabledFor(dataType) ? reluNegativeSlope(layerConf().getActivationFn()) : Double.NaN;
    return slope >= 0 ? slope : Double.NaN;
  }

  /** {@code z > 0 ? 1 : negativeSlope}, same shape as z, allocated as {@code type}. */
  private INDArray slope(INDArray z, double negativeSlope, ArrayType type, LayerWorkspaceMgr workspaceMgr) {
    INDArray slope = workspaceMgr.createUninitialized(type, dataType, z.shape(), 'c');
    Nd4j.exec(new Step(z, slope, 0.0));
    return slope.muli(1.0 - negativeSlope).addi(negativeSlope);
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(true);
    FastConv2D c = layerConf();
    IActivation activation = c.getActivationFn();
    INDArray x = convInput(ArrayType.BP_WORKING_MEM, workspaceMgr); // [N, nIn, H(+2p), W(+2p)]
    INDArray delta = epsilon.castTo(dataType); // dL/dOut, then dL/dz: [N, nOut, outH, outW]
    if (!Double.isNaN(fusedReluSlope())) {
      INDArray out = backpropCache != null ? backpropCache : convolve(x, ArrayType.BP_WORKING_MEM, workspaceMgr);
      backpropCache = keepState ? out : null;
      INDArray dz = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, out.shape(), 'c');
      DnnlConvolution.kernels(shape(x)).reluBackward(DnnlConvolution.dense(delta), out, dz);
      delta = dz;
    } else if (!(activation instanceof ActivationIdentity)) {
      double negativeSlope = reluNegativeSlope(activation);
      INDArray cache = backpropCache;
      backpropCache = null; // overwritten below unless the state is kept
      if (cache == null) {
        cache = convolve(x, ArrayType.BP_WORKING_MEM, workspaceMgr);
        if (!Double.isNaN(negativeSlope)) {
          cache = slope(cache, negativeSlope, ArrayType.BP_WORKING_MEM, workspaceMgr);
        }
      }
      if (keepState) {
        backpropCache = cache;
        cache = cache.dup();
      }
      delta = Double.isNaN(negativeSlope) ? activation.backprop(cache, delta).getFirst() : cache.muli(delta);
    }

    boolean inputGradient = c.isInputGradient();
    if (!parameterGradients && !inputGradient) {
      return new Pair<>(new DefaultGradient(), null);
    }
    boolean replicate = c.getPaddingMode() == FastConv2D.Padding.REPLICATE;
    INDArray gradX = !inputGradient ? null : workspaceMgr.createUninitialized(
        replicate ? ArrayType.BP_WORKING_MEM : ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
    INDArray weights = getParam(FastConv2DParamInitializer.WEIGHT_KEY);
    INDArray gradW = parameterGradients ? gradientViews.get(FastConv2DParamInitializer.WEIGHT_KEY) : null;
    INDArray gradB = parameterGradients && hasBias() ? gradientViews.get(FastConv2DParamInitializer.BIAS_KEY) : null;
    if (DnnlConvolution.enabledFor(dataType)) {
      DnnlConvolution.kernels(shape(x)).backward(DnnlConvolution.dense(x), weights, DnnlConvolution.dense(delta),
          gradX, gradW, gradB, dnnlWeights);
    } else if (!inputGradient) {
      requireNchw();
      if (c.getStride()[0] == 1 && c.getStride()[1] == 1) {
        return new Pair<>(parameterGradients(x, delta), null);
      }
      gradX = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, x.shape(), 'c');
      libnd4jBackward(x, weights, delta, gradX, gradW, gradB);
    } else if (!parameterGradients && transposedConvolutionCovers(x, delta)) {
      requireNchw();
      // dL/dx is the transposed convolution of delta with the same weights: libnd4j deconv2d, whose [iC, oC, kH,
      // kW] weight format is the convolution's OIHW array as it is.
      Nd4j.exec(DynamicCustomOp.builder("deconv2d").addInputs(delta, weights).addOutputs(gradX)
          .addIntegerArguments(convArgs()).build());
    } else {
      requireNchw();
      libnd4jBackward(x, weights, delta, gradX,
          gradW != null ? gradW : Nd4j.createUninitialized(dataType, weights.shape()),
          gradB != null || !hasBias() ? gradB : Nd4j.createUninitialized(dataType, layerConf().getNOut()));
    }

    Gradient gradient = new DefaultGradient();
    if (parameterGradients) {
      gradient.setGradientFor(FastConv2DParamInitializer.WEIGHT_KEY, gradW, 'c');
      if (hasBias()) {
        gradient.setGradientFor(FastConv2DParamInitializer.BIAS_KEY, gradB);
      }
    }
    if (!inputGradient) {
      return new Pair<>(gradient, null);
    }
    INDArray epsNext = gradX;
    if (replicate) {
      int[] pad = c.effectivePadding();
      epsNext = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, EdgePadding.foldBack(gradX, pad[0], pad[1]), 'c');
    }
    return new Pair<>(gradient, epsNext);
  }

  /** libnd4j conv2d_bp: all three gradients (gradW, gradB: scratch arrays when parameter gradients are off). */
  private void libnd4jBackward(INDArray x, INDArray weights, INDArray delta, INDArray gradX, INDArray gradW,
      INDArray gradB) {
    DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d_bp");
    if (hasBias()) {
      op.addInputs(x, weights, getParam(FastConv2DParamInitializer.BIAS_KEY), delta)
          .addOutputs(gradX, gradW, gradB);
    } else {
      op.addInputs(x, weights, delta).addOutputs(gradX, gradW);
    }
    Nd4j.exec(op.addIntegerArguments(convArgs()).build());
  }

  /**
   * Whether the transposed convolution of {@code delta} has the input's size, i.e. the convolution used every input
   * row and column ({@code (in + 2*pad - k)} divisible by the stride); otherwise the rows and columns it skipped would
   * be missing from libnd4j's {@code deconv2d} output.
   */
  private boolean transposedConvolutionCovers(INDArray x, INDArray delta) {
    int[] a = convArgs();
    return (delta.size(2) - 1) * a[2] - 2L * a[4] + a[0] == x.size(2)
        && (delta.size(3) - 1) * a[3] - 2L * a[5] + a[1] == x.size(3);
  }

  /** The oneDNN shape of convolving {@code x} (from {@link #convInput}), with this layer's fused ReLU if any. */
  private DnnlConvolution.ConvShape shape(INDArray x) {
    FastConv2D c = layerConf();
    int[] out = c.outputSize(input.size(2), input.size(3));
    int[] k = c.getKernelSize();
    int[] s = c.getStride();
    int[] args = convArgs();
    return new DnnlConvolution.ConvShape(x.size(0), x.size(1), x.size(2), x.size(3), c.getNOut(), out[0], out[1],
        k[0], k[1], s[0], s[1], args[4], args[5], hasBias(), fusedReluSlope(), blockedInput, blockedOutput);
  }

  /** Fails unless this layer's arrays are NCHW: libnd4j's ops do not read blocked layouts. */
  private void requireNchw() {
    if (blockedInput || blockedOutput) {
      throw new IllegalStateException("FastConv2D " + layerId() + " was planned with blocked layouts, which need "
          + "the oneDNN convolution (system property " + DnnlConvolution.PROPERTY + " is now '"
          + System.getProperty(DnnlConvolution.PROPERTY) + "' for " + dataType + ")");
    }
  }

  /**
   * Weight and bias gradients alone, for a stride-1 layer whose input gradient is not needed. The weight gradient
   * {@code dW[o, c, ky, kx] = sum_n sum_p delta[n, o, p] x[n, c, p + k]} is itself a convolution with the roles
   * swapped: the (zero-padded) input seen as [C, N, H, W] correlated with delta seen as [O, N, outH, outW]
   * kernels. libnd4j's conv2d_bp always computes the input gradient too, which for a first layer with one input
   * channel (SRCNN) costs several times the weight gradient.
   *
   * @param x     [N, C, H, W] as the convolution op sees it (edge-padded for REPLICATE)
   * @param delta dL/dz [N, O, outH, outW]
   */
  private Gradient parameterGradients(INDArray x, INDArray delta) {
    FastConv2D c = layerConf();
    int[] pad = convArgs();
    int padH = pad[4];
    int padW = pad[5];
    long n = x.size(0);
    long channels = x.size(1);
    INDArray xp = x;
    if (padH > 0 || padW > 0) {
      xp = Nd4j.zeros(dataType, n, channels, x.size(2) + 2L * padH, x.size(3) + 2L * padW);
      xp.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(padH, padH + x.size(2)),
          NDArrayIndex.interval(padW, padW + x.size(3))).assign(x);
    }
    INDArray byChannel = channels == 1 ? xp.reshape('c', 1, n, xp.size(2), xp.size(3))
        : xp.permute(1, 0, 2, 3).dup('c'); // [C, N, Hp, Wp]
    INDArray kernels = delta.permute(1, 0, 2, 3).dup('c'); // [O, N, outH, outW]
    int[] k = c.getKernelSize();
    INDArray dW = Nd4j.create(dataType, channels, c.getNOut(), k[0], k[1]); // [C, O, kH, kW]
    Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(byChannel, kernels).addOutputs(dW)
        .addIntegerArguments((int) delta.size(2), (int) delta.size(3), 1, 1, 0, 0, 1, 1, 0, NCHW, WEIGHTS_OIHW)
        .build());
    INDArray gradW = gradientViews.get(FastConv2DParamInitializer.WEIGHT_KEY);
    gradW.assign(dW.permute(1, 0, 2, 3));
    Gradient gradient = new DefaultGradient();
    gradient.setGradientFor(FastConv2DParamInitializer.WEIGHT_KEY, gradW, 'c');
    if (hasBias()) {
      INDArray gradB = gradientViews.get(FastConv2DParamInitializer.BIAS_KEY);
      gradB.assign(delta.sum(0, 2, 3));
      gradient.setGradientFor(FastConv2DParamInitializer.BIAS_KEY, gradB);
    }
    return gradient;
  }

  /**
   * Convolution plus bias of {@code x} (from {@link #convInput}), activated if the activation is fused
   * ({@link #fusedReluSlope}): [N, nOut, outH, outW], as {@code outType}.
   */
  private INDArray convolve(INDArray x, ArrayType outType, LayerWorkspaceMgr workspaceMgr) {
    int[] out = layerConf().outputSize(input.size(2), input.size(3));
    INDArray z = workspaceMgr.createUninitialized(outType, dataType,
        new long[] {input.size(0), layerConf().getNOut(), out[0], out[1]}, 'c');
    INDArray weights = getParam(FastConv2DParamInitializer.WEIGHT_KEY);
    if (DnnlConvolution.enabledFor(dataType)) {
      DnnlConvolution.kernels(shape(x)).forward(DnnlConvolution.dense(x), weights,
          hasBias() ? getParam(FastConv2DParamInitializer.BIAS_KEY) : null, z, dnnlWeights);
      return z;
    }
    requireNchw();
    DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d");
    if (hasBias()) {
      op.addInputs(x, weights, getParam(FastConv2DParamInitializer.BIAS_KEY));
    } else {
      op.addInputs(x, weights);
    }
    Nd4j.exec(op.addOutputs(z).addIntegerArguments(convArgs()).build());
    return z;
  }

  /**
   * The array the convolution op sees: the input cast to the layer's data type, edge-padded for REPLICATE.
   * [N, nIn, H, W] or [N, nIn, H + 2*padH, W + 2*padW].
   */
  private INDArray convInput(ArrayType paddedType, LayerWorkspaceMgr workspaceMgr) {
    validateInput();
    INDArray x = input.castTo(dataType);
    if (layerConf().getPaddingMode() != FastConv2D.Padding.REPLICATE) {
      return x;
    }
    int[] pad = layerConf().effectivePadding();
    INDArray padded = workspaceMgr.createUninitialized(paddedType, dataType,
        new long[] {x.size(0), x.size(1), x.size(2) + 2L * pad[0], x.size(3) + 2L * pad[1]}, 'c');
    return EdgePadding.pad(x, pad[0], pad[1], padded);
  }

  /** Integer arguments of conv2d / conv2d_bp: kernel, stride, zero padding, dilation 1, not SAME, NCHW, OIHW. */
  private int[] convArgs() {
    FastConv2D c = layerConf();
    int[] k = c.getKernelSize();
    int[] s = c.getStride();
    int[] p = c.getPaddingMode() == FastConv2D.Padding.REPLICATE ? new int[] {0, 0} : c.effectivePadding();
    return new int[] {k[0], k[1], s[0], s[1], p[0], p[1], 1, 1, 0, NCHW, WEIGHTS_OIHW};
  }

  private void validateInput() {
    if (input.rank() != 4 || input.size(1) != layerConf().getNIn()) {
      throw new DL4JInvalidInputException("FastConv2D " + layerId() + ": expected input [N, "
          + layerConf().getNIn() + ", H, W] (NCHW), got " + Arrays.toString(input.shape()));
    }
  }
}
