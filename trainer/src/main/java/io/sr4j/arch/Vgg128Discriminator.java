package io.sr4j.arch;

import io.sr4j.config.Check;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.nd4j.linalg.activations.IActivation;

/**
 * ESRGAN's discriminator (BasicSR {@code VGGStyleDiscriminator}, input 128x128, or {@code input_size}): conv0_0
 * (3x3) + LeakyReLU 0.2,
 * then five stages of 3x3 conv (stride 1) and 4x4 conv (stride 2, padding 1), each followed by BN and LeakyReLU,
 * channels nf, 2nf, 4nf, 8nf, 8nf; linear1 (8nf*(size/32)^2 -> 100) + LeakyReLU, linear2 (100 -> 1). Outputs logits.
 * {@code batch_norm: false} drops the BN layers and gives those convolutions biases.
 */
public final class Vgg128Discriminator extends BaseArchitecture<Vgg128Discriminator.Options> {
  /** Options; keys num_in_ch, num_feat, batch_norm, input_size (128 as ESRGAN; any multiple of 32). */
  public record Options(Integer numInCh, Integer numFeat, Boolean batchNorm, Integer inputSize) implements DiscriminatorOptions {
    public Options {
      numInCh = Check.oneOfInts("num_in_ch", numInCh, 3, 1, 3);
      numFeat = Check.intAtLeast("num_feat", numFeat, 1, 64);
      batchNorm = batchNorm == null || batchNorm;
      inputSize = Check.intAtLeast("input_size", inputSize, 32, 128);
      if (inputSize % 32 != 0) {
        throw new io.sr4j.config.InvalidValue("input_size", inputSize, "a multiple of 32 (five stride-2 convolutions)");
      }
    }

    @Override
    public int patchSize() {
      return inputSize;
    }
  }

  public Vgg128Discriminator() {
    super("vgg128", "ESRGAN VGG-style discriminator for 128x128 patches (input_size and BN switchable)",
        Options.class);
  }

  @Override
  public ComputationGraphConfiguration configuration(Options o) {
    IActivation lrelu = Layers.leakyRelu(0.2);
    int nf = o.numFeat();
    long[] channels = {nf, 2L * nf, 4L * nf, 8L * nf, 8L * nf};
    GraphBuilder g = Layers.graph();
    g.addLayer("conv0_0", Layers.conv(3, 1, 1, o.numInCh(), nf, lrelu, Layers.torchDefault(), true), "input");
    String x = "conv0_0";
    long in = nf;
    for (int stage = 0; stage < 5; stage++) {
      long out = channels[stage];
      if (stage > 0) {
        x = Layers.convBn(g, "conv" + stage + "_0", "bn" + stage + "_0", x, 3, 1, 1, in, out, o.batchNorm(), lrelu);
      }
      x = Layers.convBn(g, "conv" + stage + "_1", "bn" + stage + "_1", x, 4, 2, 1, out, out, o.batchNorm(), lrelu);
      in = out;
    }
    long side = o.inputSize() / 32;
    return Layers.denseHead(g, x, 8L * nf * side * side, "linear1", 100, "linear2", o.inputSize(), o.numInCh());
  }
}
