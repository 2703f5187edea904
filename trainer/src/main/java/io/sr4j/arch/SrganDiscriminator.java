package io.sr4j.arch;

import io.sr4j.config.Check;
import io.sr4j.config.InvalidValue;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.nd4j.linalg.activations.IActivation;

/**
 * The SRGAN paper's discriminator (Ledig et al. 2017, input {@code input_size} px, 96 in the paper): eight 3x3
 * convolutions conv0..conv7 with nf, nf, 2nf, 2nf, 4nf, 4nf, 8nf, 8nf filters, stride 2 on conv1, conv3, conv5 and
 * conv7, BN (bn1..bn7) after all but the first, LeakyReLU 0.2; dense1 (1024) + LeakyReLU; dense2 (1). Outputs
 * logits (the sigmoid is in the loss).
 */
public final class SrganDiscriminator extends BaseArchitecture<SrganDiscriminator.Options> {
  /** Options; keys num_in_ch, num_feat, input_size, batch_norm. */
  public record Options(Integer numInCh, Integer numFeat, Integer inputSize, Boolean batchNorm) implements DiscriminatorOptions {
    public Options {
      numInCh = Check.oneOfInts("num_in_ch", numInCh, 3, 1, 3);
      numFeat = Check.intAtLeast("num_feat", numFeat, 1, 64);
      inputSize = Check.intAtLeast("input_size", inputSize, 16, 96);
      if (inputSize % 16 != 0) {
        throw new InvalidValue("input_size", inputSize, "a multiple of 16 (four stride-2 convolutions)");
      }
      batchNorm = batchNorm == null || batchNorm;
    }

    @Override
    public int patchSize() {
      return inputSize;
    }
  }

  public SrganDiscriminator() {
    super("srgan_d", "SRGAN paper discriminator (8 convs, dense 1024, dense 1)",
        Options.class);
  }

  @Override
  public ComputationGraphConfiguration configuration(Options o) {
    IActivation lrelu = Layers.leakyRelu(0.2);
    int nf = o.numFeat();
    GraphBuilder g = Layers.graph();
    g.addLayer("conv0", Layers.conv(3, 1, 1, o.numInCh(), nf, lrelu, Layers.torchDefault(), true), "input");
    String x = "conv0";
    long in = nf;
    for (int i = 1; i < 8; i++) {
      long out = (long) nf << (i / 2);
      int stride = i % 2 == 1 ? 2 : 1;
      x = Layers.convBn(g, "conv" + i, "bn" + i, x, 3, stride, 1, in, out, o.batchNorm(), lrelu);
      in = out;
    }
    int side = o.inputSize() / 16;
    return Layers.denseHead(g, x, 8L * nf * side * side, "dense1", 1024, "dense2", o.inputSize(), o.numInCh());
  }
}
