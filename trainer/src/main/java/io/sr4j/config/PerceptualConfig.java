package io.sr4j.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A VGG-19 feature loss (BasicSR {@code PerceptualLoss}, usually {@code train.perceptual_opt}). {@code layer_weights}
 * maps layer names to weights: {@code convX_Y} compares features before the ReLU (ESRGAN), {@code reluX_Y} after it
 * (SRGAN). {@code criterion} l1 or l2 (mean squared); {@code use_input_norm} applies the ImageNet normalisation the
 * weights expect. {@code weights} is the VGG-19 file (torchvision {@code vgg19-dcbb9e9d.pth} or Keras' notop
 * {@code .h5}); training refuses to start without it unless {@code random_weights: true} (smoke tests only; recorded
 * in the run).
 */
public record PerceptualConfig(String type, Map<String, Double> layerWeights, String vggType, Boolean useInputNorm,
    Double perceptualWeight, Double styleWeight, String criterion, String weights, Boolean randomWeights)
    implements LossTermConfig {
  public static final String VGG_HELP = "VGG-19 weights for the perceptual loss: give zoo:vgg19 (torchvision's "
      + "vgg19-dcbb9e9d.pth, what ESRGAN and BasicSR use; fetch it with ./sr weights download vgg19) or Keras' "
      + "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5 as weights; for smoke tests only, random_weights: true "
      + "trains against random VGG features";

  public PerceptualConfig {
    type = Check.oneOf("type", type, "PerceptualLoss", List.of("PerceptualLoss"));
    layerWeights = vggLayerWeights(layerWeights, Map.of("conv5_4", 1.0));
    if (layerWeights.isEmpty()) {
      throw new InvalidValue("layer_weights", "{}", "at least one layer, e.g. {conv5_4: 1}");
    }
    vggType = Check.oneOf("vgg_type", vggType, "vgg19", List.of("vgg19"));
    useInputNorm = useInputNorm == null || useInputNorm;
    perceptualWeight = Check.nonNegative("perceptual_weight", perceptualWeight, 1.0);
    styleWeight = Check.inRange("style_weight", styleWeight, 0, 0, 0);
    criterion = Check.oneOf("criterion", criterion, "l1", List.of("l1", "l2"));
    randomWeights = randomWeights != null && randomWeights;
    if (weights != null && randomWeights) {
      throw new InvalidValue("random_weights", true, "false when weights are given");
    }
  }

  /**
   * {@code layerWeights} (or {@code fallback} when absent) in their order, checked: VGG-19 layer names (convX_Y before
   * the ReLU, reluX_Y after it), weights >= 0 (a missing weight is 1).
   */
  public static Map<String, Double> vggLayerWeights(Map<String, Double> layerWeights, Map<String, Double> fallback) {
    Map<String, Double> checked = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : (layerWeights == null ? fallback : layerWeights).entrySet()) {
      if (!e.getKey().matches("(conv|relu)[1-5]_[1-4]")) {
        throw new InvalidValue("layer_weights." + e.getKey(), "(layer)", "VGG-19 layer names conv1_1 ... conv5_4 or relu1_1 ... relu5_4");
      }
      checked.put(e.getKey(), Check.nonNegative("layer_weights." + e.getKey(), e.getValue(), 1));
    }
    return java.util.Collections.unmodifiableMap(checked);
  }

  @Override
  public double weight() {
    return perceptualWeight;
  }

  @Override
  public void check(String key, TrainConfig run, Inputs inputs) {
    if (weights == null && !randomWeights) {
      throw new ConfigException(key + ".weights: missing; " + VGG_HELP);
    }
    if (weights != null) {
      inputs.require(key + ".weights", weights);
    }
  }

  @Override
  public String describe() {
    return "PerceptualLoss " + criterion + " on VGG-19 " + layerWeights + " x " + perceptualWeight + ", weights "
        + (randomWeights ? "RANDOM (a smoke test, not a real perceptual loss)" : weights);
  }
}
