package io.sr4j.arch;

import io.sr4j.config.Check;
import io.sr4j.config.InvalidValue;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;

/**
 * VGG-19's convolutional part (Simonyan and Zisserman), as a feature extractor for perceptual losses. Layers are
 * named conv1_1 ... conv5_4 (3x3, each with its ReLU; max pooling pool1 ... pool4; see {@code VggGraph}). The outputs,
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
    return VggGraph.convNames(CONVS_PER_BLOCK);
  }

  /** torchvision's {@code vgg19().features} index of each of {@link #allConvNames()}. */
  public static int[] torchvisionIndices() {
    return VggGraph.torchvisionIndices(CONVS_PER_BLOCK);
  }

  public Vgg19Features() {
    super("vgg19", "VGG-19 feature extractor (named layers conv1_1..conv5_4, before or after ReLU, ImageNet input norm)",
        Options.class);
  }

  @Override
  public ComputationGraphConfiguration configuration(Options o) {
    if (o.inputNorm().equals("none")) {
      return VggGraph.build(CONVS_PER_BLOCK, 64, o.layers(), o.beforeActivation(), null, null);
    }
    boolean caffe = o.inputNorm().equals("caffe");
    double[] scale = new double[3];
    double[] shift = new double[3];
    for (int c = 0; c < 3; c++) {
      scale[c] = caffe ? 255 : 1 / IMAGENET_STD[c];
      shift[c] = caffe ? -CAFFE_MEAN_RGB[c] : -IMAGENET_MEAN[c] / IMAGENET_STD[c];
    }
    return VggGraph.build(CONVS_PER_BLOCK, 64, o.layers(), o.beforeActivation(), scale, shift);
  }
}
