package io.sr4j.arch;

import io.sr4j.config.Check;
import io.sr4j.config.InvalidValue;
import io.sr4j.nn.ChannelAffine;
import io.sr4j.nn.MaxPool;
import io.sr4j.nn.PureActivation;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * AlexNet's convolutional part in torchvision's layout (weights from {@code alexnet-owt-7be5be79.pth}; Krizhevsky's
 * "one weird trick" variant), the feature network of LPIPS's default metric: conv1 (11x11, stride 4, padding 2) and
 * conv2 (5x5, padding 2), each followed by 3x3 max pooling with stride 2 (pool1, pool2), then conv3 ... conv5 (3x3),
 * with 64, 192, 384, 256, 256 channels, each conv followed by its ReLU relu1 ... relu5. The outputs "out.&lt;layer&gt;"
 * are the requested {@code layers} (default LPIPS's relu1 ... relu5); {@code input_norm} as in {@link Vgg16Features}
 * (lpips, torchvision, none); {@code num_feat} (64) scales every width (only 64 has published weights).
 */
public final class AlexNetFeatures implements Architecture<AlexNetFeatures.Options> {
  /** The layers LPIPS compares. */
  public static final List<String> LPIPS_LAYERS = List.of("relu1", "relu2", "relu3", "relu4", "relu5");
  /** Channels of conv1 ... conv5 per 64 of num_feat. */
  private static final int[] WIDTH_PER_64 = {64, 192, 384, 256, 256};
  private static final int[] KERNEL = {11, 5, 3, 3, 3};
  private static final int[] STRIDE = {4, 1, 1, 1, 1};
  private static final int[] PADDING = {2, 2, 1, 1, 1};
  /** torchvision's {@code alexnet().features} index of conv1 ... conv5. */
  private static final int[] TORCHVISION_INDEX = {0, 3, 6, 8, 10};

  /** Options; keys layers, input_norm (lpips, torchvision, none), num_feat (64: torchvision's AlexNet). */
  public record Options(List<String> layers, String inputNorm, Integer numFeat) {
    public Options {
      layers = layers == null ? LPIPS_LAYERS : List.copyOf(layers);
      if (layers.isEmpty() || layers.stream().anyMatch(l -> !l.matches("(conv|relu)[1-5]"))) {
        throw new InvalidValue("layers", layers, "names among conv1 ... conv5, relu1 ... relu5");
      }
      inputNorm = Check.oneOf("input_norm", inputNorm, "lpips", List.of("lpips", "torchvision", "none"));
      numFeat = Check.intAtLeast("num_feat", numFeat, 1, 64);
    }
  }

  /** conv1 ... conv5. */
  public static List<String> allConvNames() {
    return List.of("conv1", "conv2", "conv3", "conv4", "conv5");
  }

  /** torchvision's {@code alexnet().features} index of each of {@link #allConvNames()}. */
  public static int[] torchvisionIndices() {
    return TORCHVISION_INDEX.clone();
  }

  @Override
  public String name() {
    return "alexnet";
  }

  @Override
  public String description() {
    return "AlexNet feature extractor (conv1..conv5, torchvision layout; LPIPS's layers and input scaling)";
  }

  @Override
  public Class<Options> optionsType() {
    return Options.class;
  }

  @Override
  public ComputationGraphConfiguration configuration(Options o) {
    int deepest = o.layers().stream().mapToInt(l -> Integer.parseInt(l.substring(4))).max().orElseThrow();
    GraphBuilder g = Layers.graph();
    String x = "input";
    double[][] norm = Vgg16Features.inputNorm(o.inputNorm());
    if (norm != null) {
      g.addVertex("input_norm", new ChannelAffine(norm[0], norm[1]), x);
      x = "input_norm";
    }
    long in = 3;
    for (int i = 1; i <= deepest; i++) {
      if (i == 2 || i == 3) {
        g.addVertex("pool" + (i - 1), new MaxPool(3, 2), x);
        x = "pool" + (i - 1);
      }
      long out = (long) WIDTH_PER_64[i - 1] * o.numFeat() / 64;
      g.addLayer("conv" + i, Layers.conv(KERNEL[i - 1], STRIDE[i - 1], PADDING[i - 1], in, out, Layers.IDENTITY,
          Layers.kaiming(1.0), true), x);
      g.addVertex("relu" + i, new PureActivation(Layers.RELU), "conv" + i);
      x = "relu" + i;
      in = out;
    }
    String[] outputs = new String[o.layers().size()];
    for (int i = 0; i < outputs.length; i++) {
      outputs[i] = "out." + o.layers().get(i);
      g.addVertex(outputs[i], new PureActivation(Layers.IDENTITY), o.layers().get(i));
    }
    return g.setOutputs(outputs).setInputTypes(InputType.convolutional(64, 64, 3)).build();
  }
}
