package io.sr4j.train;

import io.sr4j.arch.Architectures;
import io.sr4j.arch.DiscriminatorOptions;
import io.sr4j.ckpt.PublishedWeights;
import io.sr4j.ckpt.WeightsZoo;
import io.sr4j.config.ConfigException;
import io.sr4j.config.PerceptualConfig;
import io.sr4j.config.TrainConfig;
import io.sr4j.loss.GanLoss;
import io.sr4j.loss.PerceptualLoss;
import io.sr4j.nn.InputGradientGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The losses of GAN training built from a config: the VGG-19 perceptual loss (if any) and the adversarial loss. */
record GanParts(PerceptualLoss perceptual, GanLoss gan, String vggWeights, String description) {
  static final String VGG_HELP = "VGG-19 weights for the perceptual loss: give zoo:vgg19 (torchvision's "
      + "vgg19-dcbb9e9d.pth, what ESRGAN and BasicSR use; fetch it with ./sr weights download vgg19) or Keras' "
      + "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5 as train.perceptual_opt.weights; for smoke tests only, "
      + "random_weights: true trains against random VGG features";

  static GanParts build(TrainConfig cfg) {
    checkDiscriminatorInput(cfg);
    PerceptualConfig p = cfg.train().perceptualOpt();
    PerceptualLoss perceptual = null;
    String weights = null;
    if (p != null) {
      List<String> layers = new ArrayList<>(p.layerWeights().keySet());
      InputGradientGraph vgg;
      if (p.weights() != null) {
        vgg = PublishedWeights.vgg19(WeightsZoo.resolve(p.weights(), "train.perceptual_opt.weights"), layers, true,
            p.useInputNorm());
        weights = p.weights();
      } else if (p.randomWeights()) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("layers", layers);
        options.put("input_norm", p.useInputNorm() ? "torchvision" : "none");
        vgg = new InputGradientGraph(Architectures.get("vgg19").configuration(options, "train.perceptual_opt"));
        vgg.init();
        weights = "random";
      } else {
        throw new ConfigException("train.perceptual_opt.weights: missing; " + VGG_HELP);
      }
      perceptual = new PerceptualLoss(vgg, new ArrayList<>(p.layerWeights().values()), p.criterion(), p.perceptualWeight());
    }
    GanLoss gan = GanLoss.from(cfg.train().ganOpt(), cfg.relativisticGan());
    String description = "GAN: " + cfg.train().ganOpt().ganType() + (cfg.relativisticGan() ? " relativistic average" : "")
        + ", weight " + cfg.train().ganOpt().lossWeight()
        + (p == null ? ", no perceptual loss" : ", perceptual " + p.criterion() + " on " + p.layerWeights()
            + " x " + p.perceptualWeight() + " with VGG-19 weights " + weights
            + ("random".equals(weights) ? " (RANDOM FEATURES: a smoke test, not a real perceptual loss)" : ""));
    return new GanParts(perceptual, gan, weights, description);
  }

  /** Discriminators with dense layers see fixed-size patches: gt_size must be their input size. */
  static void checkDiscriminatorInput(TrainConfig cfg) {
    Object options = Architectures.get(cfg.networkD().type()).options(cfg.networkD().options(), "network_d");
    Integer gt = cfg.datasets().train().gtSize();
    if (options instanceof DiscriminatorOptions o && gt != null && o.patchSize() != gt) {
      throw new ConfigException("datasets.train.gt_size: " + gt + " does not fit network_d, which takes "
          + o.patchSize() + "x" + o.patchSize() + " patches (set its input_size, or gt_size)");
    }
  }
}
