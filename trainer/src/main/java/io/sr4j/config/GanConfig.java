package io.sr4j.config;

import java.util.List;

/**
 * The adversarial loss (usually {@code train.gan_opt}). {@code gan_type} vanilla (sigmoid cross-entropy, SRGAN),
 * lsgan (least squares) or hinge; {@code relativistic} compares each logit with the mean logit of the other kind
 * (ESRGAN's relativistic average GAN); its default is true for ESRGANModel and false for SRGANModel.
 * {@code loss_weight} scales the generator's adversarial term (the discriminator's loss is unweighted).
 */
public record GanConfig(String type, String ganType, Boolean relativistic, Double realLabelVal, Double fakeLabelVal,
    Double lossWeight) implements LossTermConfig {
  public GanConfig {
    type = Check.oneOf("type", type, "GANLoss", List.of("GANLoss"));
    ganType = Check.oneOf("gan_type", ganType, "vanilla", List.of("vanilla", "lsgan", "hinge"));
    realLabelVal = Check.inRange("real_label_val", realLabelVal, 0, 1, 1.0);
    fakeLabelVal = Check.inRange("fake_label_val", fakeLabelVal, 0, 1, 0.0);
    lossWeight = Check.nonNegative("loss_weight", lossWeight, 5e-3);
  }

  @Override
  public double weight() {
    return lossWeight;
  }

  @Override
  public void check(String key, TrainConfig run, Inputs inputs) {
    if (!run.isGan()) {
      throw new ConfigException(key + ": an adversarial loss needs model_type SRGANModel or ESRGANModel, not "
          + run.modelType());
    }
  }

  @Override
  public String describe() {
    return "GANLoss " + ganType + " x " + lossWeight;
  }
}
