package io.sr4j.arch;

import io.sr4j.nn.BatchNorm;
import io.sr4j.nn.FastConv2D;
import io.sr4j.nn.KaimingNormalScaled;
import io.sr4j.nn.TorchDefaultInit;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.NoOp;

/** Shared building blocks of the architectures: graph defaults and the PyTorch-equivalent layers. */
final class Layers {
  /** Seed of the default initialisation; training runs reseed from their config. */
  static final long DEFAULT_SEED = 12345;

  static final IActivation IDENTITY = new ActivationIdentity();
  static final IActivation RELU = new ActivationReLU();

  private Layers() {}

  /**
   * A float32 graph builder with one input "input". Workspaces are off so that every graph can hand input
   * gradients back (needed to chain a discriminator or VGG into the generator); updaters are no-ops until a
   * trainer sets them.
   */
  static GraphBuilder graph() {
    return new NeuralNetConfiguration.Builder()
        .seed(DEFAULT_SEED)
        .dataType(DataType.FLOAT)
        .trainingWorkspaceMode(WorkspaceMode.NONE)
        .inferenceWorkspaceMode(WorkspaceMode.NONE)
        .updater(new NoOp())
        .graphBuilder()
        .addInputs("input");
  }

  static IActivation leakyRelu(double slope) {
    return new ActivationLReLU(slope);
  }

  /** PyTorch's default Conv2d/Linear weight initialisation. */
  static IWeightInit torchDefault() {
    return new TorchDefaultInit();
  }

  /** Kaiming normal (fan in, gain sqrt 2) times {@code scale}: ESRGAN's and BasicSR's {@code default_init_weights}. */
  static IWeightInit kaiming(double scale) {
    return new KaimingNormalScaled(scale);
  }

  /** Odd square kernel with zero "same" padding (PyTorch padding=k//2). */
  static FastConv2D conv(int kernel, long nIn, long nOut, IActivation act, IWeightInit init, boolean bias) {
    return new FastConv2D.Builder(kernel).nIn(nIn).nOut(nOut).paddingMode(FastConv2D.Padding.SAME)
        .activation(act).weightInit(init).hasBias(bias).build();
  }

  /** Kernel k, stride s, explicit zero padding p on each side (PyTorch Conv2d(k, s, p)). */
  static FastConv2D conv(int kernel, int stride, int pad, long nIn, long nOut, IActivation act, IWeightInit init,
      boolean bias) {
    return new FastConv2D.Builder(kernel).nIn(nIn).nOut(nOut).stride(stride, stride).padding(pad, pad)
        .activation(act).weightInit(init).hasBias(bias).build();
  }

  /**
   * {@code conv} marked as the generator's first layer: nothing needs the gradient with respect to the network
   * input, so backprop skips it.
   */
  static FastConv2D first(FastConv2D conv) {
    conv.setInputGradient(false);
    return conv;
  }

  /**
   * PyTorch BatchNorm2d(c) (eps 1e-5, momentum 0.1), running variance stored as is: {@link BatchNorm} (DL4J's
   * BatchNormalization settings on libnd4j's batchnorm ops). No activation: activations after BN are separate
   * vertices ({@link #batchNormThen}).
   */
  static BatchNorm batchNorm(long channels) {
    return BatchNorm.of(new BatchNormalization.Builder().nIn(channels).nOut(channels).eps(1e-5).decay(0.9)
        .useLogStd(false).activation(IDENTITY).build());
  }

  /** Conv (no bias when followed by BN) then BN and activation, as the discriminators stack them; returns the output. */
  static String convBn(GraphBuilder g, String conv, String bn, String in, int k, int stride, int pad, long nIn,
      long nOut, boolean batchNorm, IActivation act) {
    if (batchNorm) {
      g.addLayer(conv, conv(k, stride, pad, nIn, nOut, IDENTITY, torchDefault(), false), in);
      return batchNormThen(g, bn, nOut, act, conv);
    }
    g.addLayer(conv, conv(k, stride, pad, nIn, nOut, act, torchDefault(), true), in);
    return conv;
  }

  /**
   * The discriminators' head: {@code hidden} = dense(nIn -> width) + LeakyReLU 0.2 on {@code in}, then
   * {@code logit} = dense(width -> 1), the graph's output (logits; the sigmoid is in the loss); for a
   * {@code sizePx} x {@code sizePx} input of {@code channels} planes.
   */
  static ComputationGraphConfiguration denseHead(GraphBuilder g, String in, long nIn, String hidden, int width,
      String logit, int sizePx, int channels) {
    g.addLayer(hidden, new DenseLayer.Builder().nIn(nIn).nOut(width).activation(leakyRelu(0.2))
        .weightInit(torchDefault()).build(), in);
    g.addLayer(logit, new DenseLayer.Builder().nIn(width).nOut(1).activation(IDENTITY)
        .weightInit(torchDefault()).build(), hidden);
    return g.setOutputs(logit).setInputTypes(InputType.convolutional(sizePx, sizePx, channels)).build();
  }

  /** Adds {@code name} = BN of {@code in}, then {@code name + ".act"} = {@code act} unless it is the identity. */
  static String batchNormThen(GraphBuilder g, String name, long channels, IActivation act, String in) {
    g.addLayer(name, batchNorm(channels), in);
    if (act instanceof ActivationIdentity) {
      return name;
    }
    g.addVertex(name + ".act", new io.sr4j.nn.PureActivation(act), name);
    return name + ".act";
  }
}
