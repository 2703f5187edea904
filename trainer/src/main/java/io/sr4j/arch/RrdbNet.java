package io.sr4j.arch;

import io.sr4j.config.Check;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.activations.IActivation;

/**
 * ESRGAN's generator (Wang et al. 2018): {@code num_block} residual-in-residual dense blocks without batch
 * normalisation, residual scaling, nearest-neighbour upsampling. Layer names are BasicSR's RRDBNet names
 * (conv_first, body.N.rdbK.convJ, conv_body, conv_up1, conv_up2, conv_hr, conv_last), so BasicSR state dicts map
 * one to one.
 *
 * <p>Each residual dense block: {@code x_j = lrelu(conv_j(cat(x, x_1 .. x_{j-1})))} for j = 1..4,
 * {@code x_5 = conv_5(cat(x, x_1 .. x_4))}, output {@code x_5 * res_scale + x}; an RRDB chains three of them and
 * returns {@code out * res_scale + x}. Upsampling: two nearest x2 stages for x4, one x2 stage for x2, one x3 stage
 * for x3. Dense-block convolutions are initialised Kaiming-normal times {@code init_scale} (0.1), the others as
 * PyTorch's default. Ablations: {@code batch_norm: true} adds BN after every dense-block convolution;
 * {@code block_type: resblock} replaces each RRDB by a plain residual block (conv-ReLU-conv plus identity, no BN).
 */
public final class RrdbNet extends BaseArchitecture<RrdbNet.Options> {
  private static final double LRELU_SLOPE = 0.2;

  /** Options; keys as BasicSR's RRDBNet plus res_scale, init_scale, batch_norm, block_type (rrdb or resblock). */
  public record Options(Integer scale, Integer numInCh, Integer numOutCh, Integer numFeat, Integer numBlock,
      Integer numGrowCh, Double resScale, Double initScale, Boolean batchNorm, String blockType)
      implements GeneratorOptions {
    public Options {
      scale = Check.oneOfInts("scale", scale, 4, 2, 3, 4);
      numInCh = Check.oneOfInts("num_in_ch", numInCh, 3, 1, 3);
      numOutCh = Check.oneOfInts("num_out_ch", numOutCh, numInCh, 1, 3);
      numFeat = Check.intAtLeast("num_feat", numFeat, 1, 64);
      numBlock = Check.intAtLeast("num_block", numBlock, 1, 23);
      numGrowCh = Check.intAtLeast("num_grow_ch", numGrowCh, 1, 32);
      resScale = Check.inRange("res_scale", resScale, 0, 1, 0.2);
      initScale = Check.positive("init_scale", initScale, 0.1);
      batchNorm = batchNorm != null && batchNorm;
      blockType = Check.oneOf("block_type", blockType, "rrdb", List.of("rrdb", "resblock"));
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
  }

  public RrdbNet() {
    super("rrdbnet", "ESRGAN RRDBNet generator (residual-in-residual dense blocks, no BN), x2/x3/x4",
        Options.class);
  }

  @Override
  public ComputationGraphConfiguration configuration(Options o) {
    IActivation lrelu = Layers.leakyRelu(LRELU_SLOPE);
    IWeightInit plain = Layers.torchDefault();
    int nf = o.numFeat();
    GraphBuilder g = Layers.graph();
    g.addLayer("conv_first", Layers.first(Layers.conv(3, o.numInCh(), nf, Layers.IDENTITY, plain, true)), "input");
    String x = "conv_first";
    for (int b = 0; b < o.numBlock(); b++) {
      String block = "body." + b;
      String in = x;
      if (o.blockType().equals("resblock")) {
        // the ablation's plain residual block (SRResNet's without BN): conv-ReLU-conv plus the identity
        IWeightInit init = Layers.kaiming(o.initScale());
        g.addLayer(block + ".conv1", Layers.conv(3, nf, nf, Layers.RELU, init, true), in);
        g.addLayer(block + ".conv2", Layers.conv(3, nf, nf, Layers.IDENTITY, init, true), block + ".conv1");
        g.addVertex(block, new ElementWiseVertex(ElementWiseVertex.Op.Add), block + ".conv2", in);
        x = block;
        continue;
      }
      for (int r = 1; r <= 3; r++) {
        x = denseBlock(g, block + ".rdb" + r, x, o, lrelu);
      }
      g.addVertex(block + ".scaled", new ScaleVertex(o.resScale()), x);
      g.addVertex(block, new ElementWiseVertex(ElementWiseVertex.Op.Add), block + ".scaled", in);
      x = block;
    }
    g.addLayer("conv_body", Layers.conv(3, nf, nf, Layers.IDENTITY, plain, true), x);
    g.addVertex("trunk", new ElementWiseVertex(ElementWiseVertex.Op.Add), "conv_first", "conv_body");
    x = "trunk";
    List<Integer> stages = o.scale() == 4 ? List.of(2, 2) : List.of(o.scale());
    for (int s = 0; s < stages.size(); s++) {
      String up = "up" + (s + 1);
      g.addLayer(up, new Upsampling2D.Builder(stages.get(s)).build(), x);
      g.addLayer("conv_up" + (s + 1), Layers.conv(3, nf, nf, lrelu, plain, true), up);
      x = "conv_up" + (s + 1);
    }
    g.addLayer("conv_hr", Layers.conv(3, nf, nf, lrelu, plain, true), x);
    g.addLayer("conv_last", Layers.conv(3, nf, o.numOutCh(), Layers.IDENTITY, plain, true), "conv_hr");
    return g.setOutputs("conv_last").setInputTypes(InputType.convolutional(32, 32, o.numInCh())).build();
  }

  /** One residual dense block named {@code name} on input {@code in}; returns the name of its output vertex. */
  private static String denseBlock(GraphBuilder g, String name, String in, Options o, IActivation lrelu) {
    int nf = o.numFeat();
    int gc = o.numGrowCh();
    IWeightInit init = Layers.kaiming(o.initScale());
    String[] features = new String[5];
    features[0] = in;
    String last = null;
    for (int j = 1; j <= 5; j++) {
      String input;
      if (j == 1) {
        input = in;
      } else {
        input = name + ".cat" + j;
        String[] parts = new String[j];
        System.arraycopy(features, 0, parts, 0, j);
        g.addVertex(input, new MergeVertex(), parts);
      }
      long nIn = nf + (long) (j - 1) * gc;
      long nOut = j < 5 ? gc : nf;
      boolean activate = j < 5;
      String conv = name + ".conv" + j;
      if (o.batchNorm()) {
        g.addLayer(conv, Layers.conv(3, nIn, nOut, Layers.IDENTITY, init, true), input);
        last = Layers.batchNormThen(g, conv + ".bn", nOut, activate ? lrelu : Layers.IDENTITY, conv);
      } else {
        g.addLayer(conv, Layers.conv(3, nIn, nOut, activate ? lrelu : Layers.IDENTITY, init, true), input);
        last = conv;
      }
      if (j < 5) {
        features[j] = last;
      }
    }
    g.addVertex(name + ".scaled", new ScaleVertex(o.resScale()), last);
    g.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), name + ".scaled", in);
    return name;
  }
}
