package io.sr4j.arch;

import io.sr4j.config.Check;
import io.sr4j.config.InvalidValue;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;

/**
 * VGG-16's convolutional part (Simonyan and Zisserman, configuration D) as a feature extractor, in torchvision's
 * layout (weights from {@code vgg16-397923af.pth}): conv1_1 ... conv5_3, each followed by its ReLU relu1_1 ...,
 * max pooling pool1 ... pool4 between the blocks. The outputs "out.&lt;layer&gt;" are the requested {@code layers},
 * convB_C before and reluB_C after the activation; by default LPIPS's five (relu1_2, relu2_2, relu3_3, relu4_3,
 * relu5_3). {@code num_feat} (64) is the width of the first block (the others have 2, 4, 8 and 8 times as many
 * channels); only 64 has published weights, smaller widths serve tests. The input is RGB in [0,1]; {@code input_norm}
 * maps it, as the vertex "input_norm", to what the features expect: {@code lpips} (default) LPIPS v0.1's scaling layer, {@code ((2 x - 1) - shift) / scale} with shift
 * (-0.030, -0.088, -0.188) and scale (0.458, 0.448, 0.450); {@code torchvision} the ImageNet {@code (x - mean) / std};
 * {@code none}.
 */
public final class Vgg16Features implements Architecture<Vgg16Features.Options> {
  private static final int[] CONVS_PER_BLOCK = {2, 2, 3, 3, 3};
  /** The layers LPIPS compares. */
  public static final List<String> LPIPS_LAYERS = List.of("relu1_2", "relu2_2", "relu3_3", "relu4_3", "relu5_3");
  static final double[] LPIPS_SHIFT = {-0.030, -0.088, -0.188};
  static final double[] LPIPS_SCALE = {0.458, 0.448, 0.450};

  /** Options; keys layers, input_norm (lpips, torchvision, none), num_feat (64: torchvision's VGG-16). */
  public record Options(List<String> layers, String inputNorm, Integer numFeat) {
    public Options {
      layers = layers == null ? LPIPS_LAYERS : List.copyOf(layers);
      if (layers.isEmpty()) {
        throw new InvalidValue("layers", layers, "at least one of " + allConvNames());
      }
      for (String l : layers) {
        if (!l.matches("(conv|relu)\\d_\\d") || !allConvNames().contains(l.replace("relu", "conv"))) {
          throw new InvalidValue("layers", "'" + l + "'", "names among " + allConvNames() + " (or relu1_1 ... relu5_3)");
        }
      }
      inputNorm = Check.oneOf("input_norm", inputNorm, "lpips", List.of("lpips", "torchvision", "none"));
      numFeat = Check.intAtLeast("num_feat", numFeat, 1, 64);
    }
  }

  /** conv1_1 ... conv5_3 in network order. */
  public static List<String> allConvNames() {
    return VggGraph.convNames(CONVS_PER_BLOCK);
  }

  /** torchvision's {@code vgg16().features} index of each of {@link #allConvNames()}. */
  public static int[] torchvisionIndices() {
    return VggGraph.torchvisionIndices(CONVS_PER_BLOCK);
  }

  @Override
  public String name() {
    return "vgg16";
  }

  @Override
  public String description() {
    return "VGG-16 feature extractor (conv1_1..conv5_3, torchvision layout; LPIPS's layers and input scaling)";
  }

  @Override
  public Class<Options> optionsType() {
    return Options.class;
  }

  @Override
  public ComputationGraphConfiguration configuration(Options o) {
    double[][] norm = inputNorm(o.inputNorm());
    return VggGraph.build(CONVS_PER_BLOCK, o.numFeat(), o.layers(), true, norm == null ? null : norm[0],
        norm == null ? null : norm[1]);
  }

  /** {scale, shift} per channel of an input_norm (lpips or torchvision) for RGB in [0,1]; null for none. */
  static double[][] inputNorm(String inputNorm) {
    if (inputNorm.equals("none")) {
      return null;
    }
    boolean lpips = inputNorm.equals("lpips");
    double[] scale = new double[3];
    double[] shift = new double[3];
    for (int c = 0; c < 3; c++) {
      // lpips: ((2 x - 1) - shift) / scale = (2 / scale) x + (-1 - shift) / scale
      scale[c] = lpips ? 2 / LPIPS_SCALE[c] : 1 / Vgg19Features.IMAGENET_STD[c];
      shift[c] = lpips ? (-1 - LPIPS_SHIFT[c]) / LPIPS_SCALE[c]
          : -Vgg19Features.IMAGENET_MEAN[c] / Vgg19Features.IMAGENET_STD[c];
    }
    return new double[][] {scale, shift};
  }
}
