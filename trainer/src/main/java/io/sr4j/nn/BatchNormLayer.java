package io.sr4j.nn;

import java.util.Arrays;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Runtime layer of {@link BatchNorm}: y = gamma * (x - mean) / sqrt(var + eps) + beta per channel of an NCHW input.
 * Float layers on the CPU backend run on oneDNN's batch normalisation primitives ({@link DnnlBatchNorm}: statistics,
 * output and the backward pass in one primitive each); otherwise libnd4j's {@code batchnorm} op forward and the
 * closed-form backward in a few whole-array ops. Training mode normalises with the batch's mean and biased variance
 * over N, H and W; inference mode with the running statistics.
 *
 * <p>The running statistics follow DL4J's scheme: their "gradients" are {@code (1 - decay) * (running - batch)},
 * which the updater (a no-op for them, no division by the minibatch) subtracts, so that {@code running <-
 * decay * running + (1 - decay) * batch} (PyTorch's momentum is {@code 1 - decay}; the variance is the biased one,
 * as DL4J's).
 */
public class BatchNormLayer extends BatchNormalization implements ParameterGradientSwitch, KeepsBackpropState {

  /** Batch mean and biased variance [C] of the last training-mode forward pass; null otherwise. */
  private INDArray batchMean;
  private INDArray batchVar;
  private boolean parameterGradients = true;
  private boolean keepState;

  public BatchNormLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  @Override
  public void setParameterGradients(boolean compute) {
    this.parameterGradients = compute;
  }

  @Override
  public void keepBackpropState(boolean keep) {
    this.keepState = keep;
  }

  @Override
  public void clear() {
    super.clear();
    batchMean = null;
    batchVar = null;
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    INDArray x = nchwInput();
    long channels = x.size(1);
    if (DnnlConvolution.enabledFor(dataType)) {
      return dnnlForward(x, training, workspaceMgr);
    }
    INDArray mean;
    INDArray var;
    if (training) {
      // kept for backprop, so they must outlive the forward pass's working memory
      mean = workspaceMgr.dup(ArrayType.ACTIVATIONS, x.mean(0, 2, 3));
      var = workspaceMgr.dup(ArrayType.ACTIVATIONS, x.var(false, 0, 2, 3));
      batchMean = mean;
      batchVar = var;
    } else {
      mean = param(BatchNormalizationParamInitializer.GLOBAL_MEAN, channels);
      var = param(BatchNormalizationParamInitializer.GLOBAL_VAR, channels);
      batchMean = null;
      batchVar = null;
    }
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, x.shape(), 'c');
    Nd4j.exec(DynamicCustomOp.builder("batchnorm")
        .addInputs(x, mean, var, param(BatchNormalizationParamInitializer.GAMMA, channels),
            param(BatchNormalizationParamInitializer.BETA, channels))
        .addOutputs(out)
        .addIntegerArguments(1, 1, 1) // apply gamma, apply beta, channel axis 1
        .addFloatingPointArguments(layerConf().getEps())
        .build());
    return out;
  }

  private INDArray dnnlForward(INDArray x, boolean training, LayerWorkspaceMgr workspaceMgr) {
    long channels = x.size(1);
    INDArray gamma = param(BatchNormalizationParamInitializer.GAMMA, channels);
    INDArray beta = param(BatchNormalizationParamInitializer.BETA, channels);
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, x.shape(), 'c');
    DnnlBatchNorm.Kernels k = DnnlBatchNorm.kernels(dnnlShape(x));
    if (training) {
      // kept for backprop, so they must outlive the forward pass's working memory
      batchMean = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, channels);
      batchVar = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, channels);
      k.forwardTraining(x, gamma, beta, out, batchMean, batchVar);
    } else {
      batchMean = null;
      batchVar = null;
      k.forwardInference(x, gamma, beta, param(BatchNormalizationParamInitializer.GLOBAL_MEAN, channels),
          param(BatchNormalizationParamInitializer.GLOBAL_VAR, channels), out);
    }
    return out;
  }

  private DnnlBatchNorm.Shape dnnlShape(INDArray x) {
    return new DnnlBatchNorm.Shape(x.size(0), x.size(1), x.size(2), x.size(3), (float) layerConf().getEps());
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(true);
    if (batchMean == null) {
      throw new IllegalStateException("BatchNorm " + layerId() + ": backprop needs a training-mode forward pass");
    }
    INDArray x = nchwInput();
    long channels = x.size(1);
    INDArray gradOut = epsilon.castTo(dataType);
    if (!DnnlConvolution.isDenseRowMajor(gradOut)) {
      gradOut = gradOut.dup('c');
    }
    INDArray gamma = param(BatchNormalizationParamInitializer.GAMMA, channels);
    if (DnnlConvolution.enabledFor(dataType)) {
      INDArray gradIn = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
      DnnlBatchNorm.kernels(dnnlShape(x)).backward(x, batchMean, batchVar, gamma,
          param(BatchNormalizationParamInitializer.BETA, channels), gradOut, gradIn,
          parameterGradients ? gradientViews.get(BatchNormalizationParamInitializer.GAMMA).reshape(channels)
              : workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, channels),
          parameterGradients ? gradientViews.get(BatchNormalizationParamInitializer.BETA).reshape(channels)
              : workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, channels));
      return new Pair<>(runningStatisticsGradient(), gradIn);
    }
    // With xHat = (x - mean) * stdInv, stdInv = 1 / sqrt(var + eps), M = N*H*W, sums over N, H, W per channel:
    // dL/dbeta = sum(g), dL/dgamma = sum(g * xHat),
    // dL/dx = gamma * stdInv * (g - dL/dbeta / M - xHat * dL/dgamma / M) = a * g + b * xHat + c.
    // (libnd4j's batchnorm_bp is not used: its dL/dx is off by ~1e-6 relative even in double.)
    INDArray xHat = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, x.shape(), 'c');
    Nd4j.exec(DynamicCustomOp.builder("batchnorm").addInputs(x, batchMean, batchVar).addOutputs(xHat)
        .addIntegerArguments(0, 0, 1).addFloatingPointArguments(layerConf().getEps()).build());
    INDArray gradBeta = gradOut.sum(0, 2, 3);
    INDArray gradGamma = gradOut.mul(xHat).sum(0, 2, 3);
    double perElement = 1.0 / (x.length() / channels);
    INDArray a = Transforms.pow(batchVar.add(layerConf().getEps()), -0.5, false).muli(gamma);
    INDArray b = a.mul(gradGamma).muli(-perElement);
    INDArray c = a.mul(gradBeta).muli(-perElement);
    INDArray gradIn = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
    Nd4j.exec(new BroadcastMulOp(gradOut, a, gradIn, 1));
    Nd4j.exec(new BroadcastMulOp(xHat, b, xHat, 1));
    gradIn.addi(xHat);
    Nd4j.exec(new BroadcastAddOp(gradIn, c, gradIn, 1));
    if (parameterGradients) {
      gradientViews.get(BatchNormalizationParamInitializer.GAMMA).reshape(channels).assign(gradGamma);
      gradientViews.get(BatchNormalizationParamInitializer.BETA).reshape(channels).assign(gradBeta);
    }

    return new Pair<>(runningStatisticsGradient(), gradIn);
  }

  /**
   * The gradient of the last backward pass (gamma and beta already in their gradient views) with the running
   * statistics' "gradients"; empty while parameter gradients are off. Clears the batch statistics unless the state
   * is kept.
   */
  private Gradient runningStatisticsGradient() {
    long channels = batchMean.length();
    Gradient gradient = new DefaultGradient();
    if (parameterGradients) {
      double rate = 1 - layerConf().getDecay();
      INDArray dMean = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_MEAN);
      INDArray dVar = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_VAR);
      dMean.reshape(channels).assign(param(BatchNormalizationParamInitializer.GLOBAL_MEAN, channels).sub(batchMean))
          .muli(rate);
      dVar.reshape(channels).assign(param(BatchNormalizationParamInitializer.GLOBAL_VAR, channels).sub(batchVar))
          .muli(rate);
      gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA,
          gradientViews.get(BatchNormalizationParamInitializer.GAMMA));
      gradient.setGradientFor(BatchNormalizationParamInitializer.BETA,
          gradientViews.get(BatchNormalizationParamInitializer.BETA));
      gradient.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_MEAN, dMean);
      gradient.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_VAR, dVar);
    }
    if (!keepState) {
      batchMean = null;
      batchVar = null;
    }
    return gradient;
  }

  /** Parameter {@code key} as a [channels] view. */
  private INDArray param(String key, long channels) {
    return getParam(key).reshape(channels);
  }

  /** The input as a dense [N, C, H, W] array of the layer's data type. */
  private INDArray nchwInput() {
    if (input.rank() != 4 || input.size(1) != layerConf().getNOut()) {
      throw new DL4JInvalidInputException("BatchNorm " + layerId() + ": expected input [N, " + layerConf().getNOut()
          + ", H, W] (NCHW), got " + Arrays.toString(input.shape()));
    }
    INDArray x = input.castTo(dataType);
    return DnnlConvolution.isDenseRowMajor(x) ? x : x.dup('c');
  }
}
