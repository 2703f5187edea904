package io.sr4j.arch;

import io.sr4j.config.Check;
import io.sr4j.config.InvalidValue;
import io.sr4j.nn.PureActivation;
import io.sr4j.nn.ChannelAffine;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;

/**
 * VGG-19's convolutional part (Simonyan and Zisserman), as a feature extractor for perceptual losses. Layers are
 * named conv1_1 ... conv5_4 (3x3, ReLU as separate layers relu1_1 ...; max pooling pool1 ... pool4). The outputs,
 * "out.&lt;layer&gt;" in the order given, are the requested {@code layers}: reluX_Y names after the ReLU (SRGAN),
 * convX_Y names before it ({@code before_activation: true}, ESRGAN) or, with {@code before_activation: false}, after
 * it; the graph stops at the deepest requested layer. The input is RGB in [0,1]; {@code input_norm} maps it to
 * what the weights were trained on, as the vertex "input_norm": {@code torchvision} (default) {@code (x - mean) /
 * std} with mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225); {@code caffe} (Keras weights)
 * {@code 255 x - mean} with mean (123.68, 116.779, 103.939) in RGB order (the BGR channel order of those weights is
 * folded into conv1_1 when they are imported); {@code none}.
 */
public final class Vgg19Features extends BaseArchitecture<Vgg19Features.Options> {
  /** Convolutions per block of VGG-19. */
  private static final int[] CONVS_PER_BLOCK = {2, 2, 4, 4, 4};
  private static final int[] CHANNELS = {64, 128, 256, 512, 512};
  static final double[] IMAGENET_MEAN = {0.485, 0.456, 0.406};
  static final double[] IMAGENET_STD = {0.229, 0.224, 0.225};
  static final double[] CAFFE_MEAN_RGB = {123.68, 116.779, 103.939};

  /** Options; keys layers, before_activation, input_norm (torchvision, caffe, none). */
  public record Options(List<String> layers, Boolean beforeActivation, String inputNorm) {
    public Options {
      layers = layers == null ? List.of("conv5_4") : List.copyOf(layers);
      if (layers.isEmpty()) {
        throw new InvalidValue("layers", layers, "at least one of " + allConvNames());
      }
      for (String l : layers) {
        if (!allConvNames().contains(l.replace("relu", "conv"))) {
          throw new InvalidValue("layers", "'" + l + "'", "names among " + allConvNames() + " (or relu1_1 ... relu5_4)");
        }
      }
      beforeActivation = beforeActivation == null || beforeActivation;
      inputNorm = Check.oneOf("input_norm", inputNorm, "torchvision", List.of("torchvision", "caffe", "none"));
    }
  }

  /** conv1_1 ... conv5_4 in network order. */
  public static List<String> allConvNames() {
    List<String> names = new ArrayList<>();
    for (int b = 0; b < CONVS_PER_BLOCK.length; b++) {
      for (int c = 1; c <= CONVS_PER_BLOCK[b]; c++) {
        names.add("conv" + (b + 1) + "_" + c);
      }
    }
    return names;
  }

  /**
   * The vertex whose values are feature layer {@code layer}: a reluX_Y name is always after the activation; a convX_Y
   * name is before it when {@code beforeActivation}, else after.
   */
  static String outputName(String layer, boolean beforeActivation) {
    return beforeActivation ? layer : layer.replace("conv", "relu");
  }

  public Vgg19Features() {
    super("vgg19", "VGG-19 feature extractor (named layers conv1_1..conv5_4, before or after ReLU, ImageNet input norm)",
        Options.class);
  }

  @Override
  public ComputationGraphConfiguration configuration(Options o) {
    List<String> order = allConvNames();
    int deepest = o.layers().stream().mapToInt(l -> order.indexOf(l.replace("relu", "conv"))).max().orElseThrow();
    boolean anyReluOutput = !o.beforeActivation() || o.layers().stream().anyMatch(l -> l.startsWith("relu"));
    GraphBuilder g = Layers.graph();
    String x = "input";
    if (!o.inputNorm().equals("none")) {
      boolean caffe = o.inputNorm().equals("caffe");
      double[] scale = new double[3];
      double[] shift = new double[3];
      for (int c = 0; c < 3; c++) {
        scale[c] = caffe ? 255 : 1 / IMAGENET_STD[c];
        shift[c] = caffe ? -CAFFE_MEAN_RGB[c] : -IMAGENET_MEAN[c] / IMAGENET_STD[c];
      }
      g.addVertex("input_norm", new ChannelAffine(scale, shift), x);
      x = "input_norm";
    }
    long in = 3;
    int index = 0;
    outer:
    for (int b = 0; b < CONVS_PER_BLOCK.length; b++) {
      if (b > 0) {
        String pool = "pool" + b;
        g.addLayer(pool, new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
            .build(), x);
        x = pool;
      }
      for (int c = 1; c <= CONVS_PER_BLOCK[b]; c++) {
        String conv = "conv" + (b + 1) + "_" + c;
        // Kaiming normal, as torchvision initialises VGG: random features (smoke tests) keep their scale to conv5_4
        g.addLayer(conv, Layers.conv(3, in, CHANNELS[b], Layers.IDENTITY, Layers.kaiming(1.0), true), x);
        in = CHANNELS[b];
        boolean needRelu = index < deepest || anyReluOutput;
        if (needRelu) {
          String relu = "relu" + (b + 1) + "_" + c;
          g.addVertex(relu, new PureActivation(Layers.RELU), conv);
          x = relu;
        } else {
          x = conv;
        }
        if (index == deepest) {
          break outer;
        }
        index++;
      }
    }
    // Each output is a leaf copy of its feature vertex: DL4J replaces, instead of adding to, the gradient that deeper
    // layers send back to a vertex that is also a network output, so outputs must not feed other vertices.
    String[] outputs = new String[o.layers().size()];
    for (int i = 0; i < outputs.length; i++) {
      outputs[i] = "out." + o.layers().get(i);
      g.addVertex(outputs[i], new PureActivation(Layers.IDENTITY), outputName(o.layers().get(i), o.beforeActivation()));
    }
    return g.setOutputs(outputs).setInputTypes(InputType.convolutional(128, 128, 3)).build();
  }
}
