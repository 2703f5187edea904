package io.sr4j.loss;

import io.sr4j.nn.InputGradientGraph;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * VGG feature loss: {@code perceptual_weight * sum_k w_k c(phi_k(sr), phi_k(hr))} with c the mean absolute (l1) or
 * mean squared (l2) difference of the layer-k features of a frozen VGG-19 (whose graph includes the input
 * normalisation). The gradient with respect to the SR image comes back through the VGG graph; its own parameters are
 * never updated.
 */
public final class PerceptualLoss {
  private final InputGradientGraph vgg;
  private final double[] layerWeights;
  private final boolean l1;
  private final double weight;

  /** {@code layerWeights[k]} weighs the graph's k-th output. */
  public PerceptualLoss(InputGradientGraph vgg, List<Double> layerWeights, String criterion, double weight) {
    this.vgg = vgg;
    this.layerWeights = layerWeights.stream().mapToDouble(Double::doubleValue).toArray();
    this.l1 = criterion.equals("l1");
    this.weight = weight;
    if (vgg.getNumOutputArrays() != this.layerWeights.length) {
      throw new IllegalArgumentException("VGG graph has " + vgg.getNumOutputArrays() + " outputs, " + this.layerWeights.length + " weights given");
    }
  }

  /** The feature extractor. */
  public InputGradientGraph network() {
    return vgg;
  }

  /** Loss and dLoss/dSr for SR and HR batches [N, 3, H, W] in [0, 1]. */
  public LossResult compute(INDArray sr, INDArray hr) {
    INDArray[] target = vgg.output(false, hr);
    for (int k = 0; k < target.length; k++) {
      target[k] = target[k].dup();
    }
    INDArray[] features = vgg.forwardTrain(sr);
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
    INDArray dSr = vgg.backpropWithInputGradients(grads).inputs()[0];
    return new LossResult(value, dSr);
  }
}
