package io.sr4j.arch;

import io.sr4j.config.Check;
import io.sr4j.config.InvalidValue;
import io.sr4j.nn.PureActivation;
import io.sr4j.nn.BilinearUpsample;
import io.sr4j.nn.ChannelPReLU;
import io.sr4j.nn.PixelShuffle;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.activations.IActivation;

/**
 * SRResNet, the SRGAN generator (Ledig et al. 2017), in two layouts:
 *
 * <ul>
 *   <li>{@code style: srgan} (the paper): 9x9 conv + PReLU; {@code num_block} residual blocks
 *       conv-BN-PReLU-conv-BN with identity skip; conv-BN plus the global skip; per x2 (or x3) stage a conv to
 *       {@code num_feat * r^2} channels, PixelShuffle(r) (PyTorch channel order) and PReLU; a 9x9 conv.
 *       PReLUs have one slope per channel. {@code batch_norm: false} removes every BN (the ESRGAN ablation).
 *       Layers: conv_first, act_first, body.N.{conv1,bn1,act,conv2,bn2}, conv_body, bn_body, upconvK, actK,
 *       conv_last.
 *   <li>{@code style: msrresnet} (BasicSR's MSRResNet, for its released weights): 3x3 convs, no BN, ReLU inside
 *       the blocks, LeakyReLU 0.1 elsewhere, no global skip, conv_hr + conv_last, and the bilinearly upscaled
 *       input added to the output. Layers: conv_first, body.N.{conv1,conv2}, upconv1, upconv2, conv_hr, conv_last.
 * </ul>
 */
public final class SrResNet extends BaseArchitecture<SrResNet.Options> {
  private static final double MSR_LRELU_SLOPE = 0.1;

  /** Options; keys scale, num_in_ch, num_out_ch, num_feat, num_block, batch_norm, style. */
  public record Options(Integer scale, Integer numInCh, Integer numOutCh, Integer numFeat, Integer numBlock,
      Boolean batchNorm, String style) implements GeneratorOptions {
    public Options {
      scale = Check.oneOfInts("scale", scale, 4, 2, 3, 4);
      numInCh = Check.oneOfInts("num_in_ch", numInCh, 3, 1, 3);
      numOutCh = Check.oneOfInts("num_out_ch", numOutCh, numInCh, 1, 3);
      numFeat = Check.intAtLeast("num_feat", numFeat, 1, 64);
      numBlock = Check.intAtLeast("num_block", numBlock, 1, 16);
      style = Check.oneOf("style", style, "srgan", List.of("srgan", "msrresnet"));
      batchNorm = batchNorm == null ? style.equals("srgan") : batchNorm;
      if (batchNorm && style.equals("msrresnet")) {
        throw new InvalidValue("batch_norm", true, "false with style msrresnet (it has no BN)");
      }
    }

    @Override
    public int upscale() {
      return scale;
    }

    @Override
    public boolean preUpsampled() {
      return false;
    }

    @Override
    public int colourChannels() {
      return numInCh;
    }

    /** Upsampling stages: x4 is two x2 stages. */
    List<Integer> stages() {
      return scale == 4 ? List.of(2, 2) : List.of(scale);
    }
  }

  public SrResNet() {
    super("srresnet", "SRResNet / SRGAN generator (PixelShuffle upsampling; BN switchable; BasicSR MSRResNet layout)",
        Options.class);
  }

  @Override
  public ComputationGraphConfiguration configuration(Options o) {
    GraphBuilder g = Layers.graph();
    String out = o.style().equals("srgan") ? srgan(g, o) : msrResNet(g, o);
    return g.setOutputs(out).setInputTypes(InputType.convolutional(24, 24, o.numInCh())).build();
  }

  private static ChannelPReLU prelu(long channels) {
    return new ChannelPReLU(channels);
  }

  private static String srgan(GraphBuilder g, Options o) {
    int nf = o.numFeat();
    IWeightInit init = Layers.kaiming(0.1);
    boolean bn = o.batchNorm();
    g.addLayer("conv_first", Layers.first(Layers.conv(9, o.numInCh(), nf, Layers.IDENTITY, Layers.torchDefault(), true)), "input");
    g.addLayer("act_first", prelu(nf), "conv_first");
    String x = "act_first";
    for (int b = 0; b < o.numBlock(); b++) {
      String p = "body." + b + ".";
      g.addLayer(p + "conv1", Layers.conv(3, nf, nf, Layers.IDENTITY, init, true), x);
      String y = p + "conv1";
      if (bn) {
        g.addLayer(p + "bn1", Layers.batchNorm(nf), y);
        y = p + "bn1";
      }
      g.addLayer(p + "act", prelu(nf), y);
      g.addLayer(p + "conv2", Layers.conv(3, nf, nf, Layers.IDENTITY, init, true), p + "act");
      y = p + "conv2";
      if (bn) {
        g.addLayer(p + "bn2", Layers.batchNorm(nf), y);
        y = p + "bn2";
      }
      g.addVertex("body." + b, new ElementWiseVertex(ElementWiseVertex.Op.Add), x, y);
      x = "body." + b;
    }
    g.addLayer("conv_body", Layers.conv(3, nf, nf, Layers.IDENTITY, init, true), x);
    String body = "conv_body";
    if (bn) {
      g.addLayer("bn_body", Layers.batchNorm(nf), body);
      body = "bn_body";
    }
    g.addVertex("trunk", new ElementWiseVertex(ElementWiseVertex.Op.Add), "act_first", body);
    x = upsample(g, "trunk", o, false);
    g.addLayer("conv_last", Layers.conv(9, nf, o.numOutCh(), Layers.IDENTITY, Layers.torchDefault(), true), x);
    return "conv_last";
  }

  private static String msrResNet(GraphBuilder g, Options o) {
    int nf = o.numFeat();
    IWeightInit init = Layers.kaiming(0.1);
    IActivation lrelu = Layers.leakyRelu(MSR_LRELU_SLOPE);
    // the input also feeds the bilinear skip, so conv_first must pass its share of the input gradient on
    g.addLayer("conv_first", Layers.conv(3, o.numInCh(), nf, lrelu, init, true), "input");
    String x = "conv_first";
    for (int b = 0; b < o.numBlock(); b++) {
      String p = "body." + b + ".";
      g.addLayer(p + "conv1", Layers.conv(3, nf, nf, Layers.RELU, init, true), x);
      g.addLayer(p + "conv2", Layers.conv(3, nf, nf, Layers.IDENTITY, init, true), p + "conv1");
      g.addVertex("body." + b, new ElementWiseVertex(ElementWiseVertex.Op.Add), x, p + "conv2");
      x = "body." + b;
    }
    x = upsample(g, x, o, true);
    g.addLayer("conv_hr", Layers.conv(3, nf, nf, lrelu, init, true), x);
    g.addLayer("conv_last", Layers.conv(3, nf, o.numOutCh(), Layers.IDENTITY, init, true), "conv_hr");
    g.addVertex("base", new BilinearUpsample(o.scale()), "input");
    g.addVertex("output", new ElementWiseVertex(ElementWiseVertex.Op.Add), "conv_last", "base");
    return "output";
  }

  /** Conv to nf*r^2, PixelShuffle(r), activation, per stage; returns the last vertex name. */
  private static String upsample(GraphBuilder g, String in, Options o, boolean msr) {
    int nf = o.numFeat();
    String x = in;
    List<Integer> stages = o.stages();
    for (int s = 0; s < stages.size(); s++) {
      int r = stages.get(s);
      String conv = "upconv" + (s + 1);
      g.addLayer(conv, Layers.conv(3, nf, (long) nf * r * r, Layers.IDENTITY, msr ? Layers.kaiming(0.1) : Layers.torchDefault(), true), x);
      g.addVertex(conv + ".shuffle", new PixelShuffle(r), conv);
      String act = "act" + (s + 1);
      if (msr) {
        g.addVertex(act, new PureActivation(Layers.leakyRelu(MSR_LRELU_SLOPE)), conv + ".shuffle");
      } else {
        g.addLayer(act, prelu(nf), conv + ".shuffle");
      }
      x = act;
    }
    return x;
  }
}
