package io.sr4j.arch;

import io.sr4j.config.Check;
import io.sr4j.config.InvalidValue;
import io.sr4j.nn.FastConv2D;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.IActivation;

/**
 * SRCNN (Dong et al. 2014/2016): three convolutions f1-f2-f3 with n1 and n2 filters and ReLU, applied to the
 * bicubic-upscaled image (usually its Y channel). Layers: conv1, conv2, conv3.
 *
 * <p>Padding: {@code valid} (training as in the paper; the output is smaller than the input by f1+f2+f3-3),
 * {@code same} (zero padding) or {@code replicate} (edge padding, how the released MATLAB weights are applied).
 */
public final class Srcnn extends BaseArchitecture<Srcnn.Options> {
  /** Options; keys num_in_ch, kernel_sizes, num_feat, padding, init_std, scale. */
  public record Options(Integer scale, Integer numInCh, List<Integer> kernelSizes, List<Integer> numFeat, String padding,
      Double initStd) implements GeneratorOptions {
    public Options {
      scale = Check.oneOfInts("scale", scale, 3, 2, 3, 4);
      numInCh = Check.oneOfInts("num_in_ch", numInCh, 1, 1, 3);
      kernelSizes = kernelSizes == null ? List.of(9, 5, 5) : List.copyOf(kernelSizes);
      if (kernelSizes.size() != 3 || kernelSizes.stream().anyMatch(k -> k < 1 || k % 2 == 0)) {
        throw new InvalidValue("kernel_sizes", kernelSizes, "three odd sizes f1, f2, f3, e.g. [9, 1, 5] or [9, 5, 5]");
      }
      numFeat = numFeat == null ? List.of(64, 32) : List.copyOf(numFeat);
      if (numFeat.size() != 2 || numFeat.stream().anyMatch(n -> n < 1)) {
        throw new InvalidValue("num_feat", numFeat, "two filter counts n1, n2, e.g. [64, 32]");
      }
      padding = Check.oneOf("padding", padding, "same", List.of("valid", "same", "replicate"));
      if (initStd != null) {
        Check.positive("init_std", initStd, 0);
      }
    }

    @Override
    public int upscale() {
      return scale;
    }

    @Override
    public boolean preUpsampled() {
      return true;
    }

    @Override
    public int colourChannels() {
      return numInCh;
    }

    /** Pixels lost on each side with valid padding: (f1 + f2 + f3 - 3) / 2; 0 otherwise. */
    public int shrinkPerSide() {
      return padding.equals("valid") ? (kernelSizes.get(0) + kernelSizes.get(1) + kernelSizes.get(2) - 3) / 2 : 0;
    }
  }

  public Srcnn() {
    super("srcnn", "SRCNN f1-f2-f3 (9-1-5, 9-3-5, 9-5-5) on the bicubic-upscaled Y (or RGB) image",
        Options.class);
  }

  @Override
  public ComputationGraphConfiguration configuration(Options o) {
    IWeightInit init = o.initStd() == null ? Layers.kaiming(1.0) : new WeightInitDistribution(new NormalDistribution(0, o.initStd()));
    long[] width = {o.numInCh(), o.numFeat().get(0), o.numFeat().get(1), o.numInCh()};
    IActivation[] act = {Layers.RELU, Layers.RELU, Layers.IDENTITY};
    GraphBuilder g = Layers.graph();
    String prev = "input";
    for (int i = 0; i < 3; i++) {
      int k = o.kernelSizes().get(i);
      FastConv2D.Builder b = new FastConv2D.Builder(k).nIn(width[i]).nOut(width[i + 1]).activation(act[i]).weightInit(init)
          .inputGradient(i > 0); // nothing needs the gradient of the network input
      switch (o.padding()) {
        case "valid" -> b.padding(0, 0);
        case "replicate" -> b.paddingMode(FastConv2D.Padding.REPLICATE);
        default -> b.paddingMode(FastConv2D.Padding.SAME);
      }
      String name = "conv" + (i + 1);
      g.addLayer(name, b.build(), prev);
      prev = name;
    }
    return g.setOutputs(prev).setInputTypes(InputType.convolutional(33, 33, o.numInCh())).build();
  }
}
