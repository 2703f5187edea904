package io.sr4j.loss;

import io.sr4j.arch.Architectures;
import io.sr4j.ckpt.PublishedWeights;
import io.sr4j.ckpt.WeightsZoo;
import io.sr4j.config.PerceptualConfig;
import io.sr4j.nn.Graphs;
import io.sr4j.nn.InputGradientGraph;
import io.sr4j.nn.PhaseTimer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * VGG feature loss: {@code perceptual_weight * sum_k w_k c(phi_k(sr), phi_k(hr))} with c the mean absolute (l1) or
 * mean squared (l2) difference of the layer-k features of a frozen VGG-19 (whose graph includes the input
 * normalisation). The gradient with respect to the SR image comes back through the VGG graph; its own parameters are
 * never updated.
 */
public final class PerceptualLoss implements LossTerm {
  private final String name;
  private final InputGradientGraph vgg;
  private final double[] layerWeights;
  private final boolean l1;
  private final double weight;

  /** {@code layerWeights[k]} weighs the graph's k-th output. */
  public PerceptualLoss(String name, InputGradientGraph vgg, List<Double> layerWeights, String criterion, double weight) {
    this.name = name;
    this.vgg = vgg;
    this.layerWeights = layerWeights.stream().mapToDouble(Double::doubleValue).toArray();
    this.l1 = criterion.equals("l1");
    this.weight = weight;
    if (vgg.getNumOutputArrays() != this.layerWeights.length) {
      throw new IllegalArgumentException("VGG graph has " + vgg.getNumOutputArrays() + " outputs, " + this.layerWeights.length + " weights given");
    }
  }

  /** The term a {@code PerceptualLoss} section describes, on VGG-19 with the given weights (or random ones). */
  static PerceptualLoss build(String name, PerceptualConfig p, LossTerms.Context ctx) {
    InputGradientGraph vgg = featureNetwork(p.weights(), new ArrayList<>(p.layerWeights().keySet()), p.useInputNorm(),
        ctx.run().manualSeed(), "train.perceptual_opt");
    return new PerceptualLoss(name, vgg, new ArrayList<>(p.layerWeights().values()), p.criterion(), p.perceptualWeight());
  }

  /**
   * VGG-19 with outputs {@code layers} (reluX_Y after the ReLU, convX_Y before it) from the {@code weights} file, or
   * with random weights (smoke tests) reproducible from the run's seed ({@code runSeed + 2}) when it is null;
   * {@code key} names the config section in errors.
   */
  static InputGradientGraph featureNetwork(String weights, List<String> layers, boolean useInputNorm, long runSeed,
      String key) {
    InputGradientGraph vgg;
    if (weights != null) {
      vgg = PublishedWeights.vgg19(WeightsZoo.resolve(weights, key + ".weights"), layers, true, useInputNorm);
    } else {
      Map<String, Object> options = new LinkedHashMap<>();
      options.put("layers", layers);
      options.put("input_norm", useInputNorm ? "torchvision" : "none");
      vgg = Graphs.initialised(Architectures.get("vgg19").configuration(options, key), runSeed + 2);
    }
    vgg.declareConstantParameters(); // frozen: nothing writes its weights
    return vgg;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public double weight() {
    return weight;
  }

  /** The feature extractor. */
  public InputGradientGraph network() {
    return vgg;
  }

  /** Loss and dLoss/dSr for SR and HR batches [N, 3, H, W] in [0, 1]. */
  @Override
  public LossResult compute(INDArray sr, INDArray hr) {
    long t = PhaseTimer.start();
    INDArray[] target = vgg.output(false, hr);
    for (int k = 0; k < target.length; k++) {
      target[k] = target[k].dup();
    }
    PhaseTimer.stop("VGG forward (HR)", t);
    t = PhaseTimer.start();
    INDArray[] features = vgg.forwardTrain(sr);
    PhaseTimer.stop("VGG forward (SR)", t);
    INDArray[] grads = new INDArray[features.length];
    double value = 0;
    for (int k = 0; k < features.length; k++) {
      double w = weight * layerWeights[k];
      INDArray d = features[k].sub(target[k]);
      double n = d.length();
      if (l1) {
        value += w * Transforms.abs(d, true).sumNumber().doubleValue() / n;
        grads[k] = Transforms.sign(d, false).muli(w / n);
      } else {
        value += w * d.mul(d).sumNumber().doubleValue() / n;
        grads[k] = d.muli(2 * w / n);
      }
    }
    t = PhaseTimer.start();
    INDArray dSr = vgg.inputGradients(grads)[0]; // frozen: VGG's parameter gradients are not computed
    PhaseTimer.stop("VGG backward", t);
    return new LossResult(value, dSr);
  }
}
