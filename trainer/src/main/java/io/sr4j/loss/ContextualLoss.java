package io.sr4j.loss;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sr4j.config.Check;
import io.sr4j.config.ConfigException;
import io.sr4j.config.InvalidValue;
import io.sr4j.config.LossTermConfig;
import io.sr4j.config.PerceptualConfig;
import io.sr4j.config.TrainConfig;
import io.sr4j.nn.InputGradientGraph;
import io.sr4j.nn.PhaseTimer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The contextual loss (CX, Mechrez et al., ECCV 2018) and the contextual bilateral loss (CoBi, "Zoom to Learn, Learn
 * to Zoom", Zhang et al., CVPR 2019): features of SR are matched to features of HR by content, not by position, so a
 * target that is a few pixels off does not pull the output towards the blurred average of its possible positions.
 * CoBi adds a spatial term that prefers the match at the same position ({@code w_spatial}); CX is CoBi with
 * {@code w_spatial = 0}. As the authors' code computes it:
 * <pre>
 * loss = loss_weight * (sum_k w_k CoBi(VGG_k(sr), VGG_k(hr)) + rgb_weight * CoBi(patches(sr), patches(hr)))
 * </pre>
 * with VGG-19 features (cosine distance after centring on the HR mean; post-ReLU relu1_2, relu2_2, relu3_2 weighted
 * 1, 1, 0.5 by default) and n x n RGB patches x255 (squared Euclidean distance; n = 10, stride 1, zero "same"
 * padding), each averaged over the batch. At a layer with more than {@code max_sampling_1d_size}^2 positions the same
 * random positions are used in SR and HR and in every image of the batch, a new draw each step from the run's seed
 * and the iteration (resuming draws the same). The N x N similarity ({@link ContextualCore}) is computed one image and
 * one layer at a time; its gradient is hand-derived ({@link ContextualAnalytic}) or from SameDiff's autodiff
 * ({@link ContextualAutodiff}), and the VGG part's gradient comes back through the frozen VGG-19.
 */
public final class ContextualLoss implements LossTerm {
  /** The CoBi type name. */
  public static final String COBI = "CoBiLoss";
  /** The CX type name (no spatial term). */
  public static final String CX = "ContextualLoss";

  private static final double PIXEL_SCALE = 255;
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  /**
   * A {@code CoBiLoss} or {@code ContextualLoss} section; see configs/README.md for every key.
   *
   * @param layerWeights VGG-19 layers and their weights ({} for the RGB term alone)
   * @param rgbWeight weight of the RGB-patch term (0 for the VGG term alone)
   * @param bandWidth h
   * @param wSpatial w_s, the weight of the spatial term (0 for ContextualLoss)
   * @param maxSampling1dSize layers with more positions than its square are sampled down to its square
   * @param backward analytic (hand-derived gradient) or autodiff (SameDiff)
   */
  public record Config(String type, Double lossWeight, Map<String, Double> layerWeights, Double rgbWeight,
      Integer patchSize, Integer patchStride, Double bandWidth, Double distanceEps, Double logEps, Double wSpatial,
      @JsonProperty("max_sampling_1d_size") Integer maxSampling1dSize, Boolean useInputNorm, String weights,
      Boolean randomWeights, String backward) implements LossTermConfig {
    private static final String VGG_HELP = "VGG-19 weights for the VGG term: torchvision's vgg19-dcbb9e9d.pth or "
        + "Keras' vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5 as weights; layer_weights: {} uses the RGB-patch "
        + "term alone; for smoke tests only, random_weights: true compares random VGG features";

    public Config {
      type = Check.oneOf("type", type, null, List.of(COBI, CX));
      lossWeight = Check.nonNegative("loss_weight", lossWeight, 1.0);
      Map<String, Double> defaults = new LinkedHashMap<>();
      defaults.put("relu1_2", 1.0);
      defaults.put("relu2_2", 1.0);
      defaults.put("relu3_2", 0.5);
      layerWeights = PerceptualConfig.vggLayerWeights(layerWeights, defaults);
      rgbWeight = Check.nonNegative("rgb_weight", rgbWeight, 2.0);
      if (rgbWeight == 0 && layerWeights.values().stream().allMatch(w -> w == 0)) {
        throw new InvalidValue("rgb_weight", 0, "> 0, or a VGG layer with a weight > 0 in layer_weights (nothing is "
            + "compared otherwise)");
      }
      patchSize = Check.intInRange("patch_size", patchSize, 1, 64, 10);
      patchStride = Check.intInRange("patch_stride", patchStride, 1, 64, 1);
      bandWidth = Check.positive("band_width", bandWidth, 0.5);
      distanceEps = Check.positive("distance_eps", distanceEps, 1e-3);
      logEps = Check.positive("log_eps", logEps, 1e-5);
      if (type.equals(CX)) {
        if (wSpatial != null && wSpatial != 0) {
          throw new InvalidValue("w_spatial", wSpatial, "0 or absent: ContextualLoss has no spatial term (CoBiLoss "
              + "adds it)");
        }
        wSpatial = 0.0;
      } else {
        wSpatial = Check.inRange("w_spatial", wSpatial, 0, 1, 0.1);
      }
      // N x N buffers of N = side^2 positions: 100^2 positions are 400 MB per buffer in float
      maxSampling1dSize = Check.intInRange("max_sampling_1d_size", maxSampling1dSize, 1, 100, 63);
      useInputNorm = useInputNorm == null || useInputNorm;
      randomWeights = randomWeights != null && randomWeights;
      if (weights != null && randomWeights) {
        throw new InvalidValue("random_weights", true, "false when weights are given");
      }
      backward = Check.oneOf("backward", backward, "analytic", List.of("analytic", "autodiff"));
    }

    /** True when a VGG-19 layer has a weight > 0. */
    public boolean usesVgg() {
      return layerWeights.values().stream().anyMatch(w -> w > 0);
    }

    @Override
    public double weight() {
      return lossWeight;
    }

    @Override
    public void check(String key, TrainConfig run, Inputs inputs) {
      if (usesVgg() && weights == null && !randomWeights) {
        throw new ConfigException(key + ".weights: missing; " + VGG_HELP);
      }
      if (usesVgg() && weights != null) {
        inputs.require(key + ".weights", weights);
      }
    }

    @Override
    public String describe() {
      String vgg = usesVgg() ? "VGG-19 " + layerWeights + " (weights " + (randomWeights
          ? "RANDOM: a smoke test, not the paper's features" : weights) + ")" : "";
      String rgb = rgbWeight > 0 ? rgbWeight + " x RGB " + patchSize + "x" + patchSize + " patches (stride "
          + patchStride + ")" : "";
      return String.format(Locale.ROOT, "%s on %s%s%s, h %s, w_spatial %s, <= %d^2 positions, eps %s (distance) / %s "
          + "(log), %s backward x %s", type, vgg, !vgg.isEmpty() && !rgb.isEmpty() ? " + " : "", rgb, bandWidth,
          wSpatial, maxSampling1dSize, distanceEps, logEps, backward, lossWeight);
    }
  }

  private final String name;
  private final double weight;
  private final InputGradientGraph vgg; // null without VGG layers
  private final List<String> layers;
  private final double[] layerWeights;
  private final double rgbWeight;
  private final int patchPx;
  private final int patchStridePx;
  private final int maxPositions;
  private final long seed;
  private final ContextualCore featureCore;
  private final ContextualCore patchCore;

  /**
   * The term of {@code c} on {@code vgg} (outputs: the config's layers in order; null when {@code c} uses no VGG
   * layer); random positions are drawn from {@code seed} and the iteration.
   */
  public ContextualLoss(String name, Config c, InputGradientGraph vgg, long seed) {
    if (c.usesVgg() != (vgg != null) || vgg != null && vgg.getNumOutputArrays() != c.layerWeights().size()) {
      throw new IllegalArgumentException(name + ": the VGG graph must have one output per layer of "
          + c.layerWeights() + (c.usesVgg() ? "" : ", or be null"));
    }
    this.name = name;
    this.weight = c.lossWeight();
    this.vgg = vgg;
    this.layers = List.copyOf(c.layerWeights().keySet());
    this.layerWeights = c.layerWeights().values().stream().mapToDouble(Double::doubleValue).toArray();
    this.rgbWeight = c.rgbWeight();
    this.patchPx = c.patchSize();
    this.patchStridePx = c.patchStride();
    this.maxPositions = c.maxSampling1dSize() * c.maxSampling1dSize();
    this.seed = seed;
    boolean analytic = c.backward().equals("analytic");
    ContextualCore.Params cosine = new ContextualCore.Params(ContextualCore.Distance.COSINE, c.bandWidth(),
        c.distanceEps(), c.logEps(), c.wSpatial());
    ContextualCore.Params l2 = new ContextualCore.Params(ContextualCore.Distance.SQUARED_L2, c.bandWidth(),
        c.distanceEps(), c.logEps(), c.wSpatial());
    this.featureCore = analytic ? new ContextualAnalytic(cosine) : new ContextualAutodiff(cosine);
    this.patchCore = analytic ? new ContextualAnalytic(l2) : new ContextualAutodiff(l2);
  }

  /** The term a section describes; VGG-19 from {@code weights} or random (seeded from the run). */
  static ContextualLoss build(String name, Config c, LossTerms.Context ctx) {
    long runSeed = ctx.run().manualSeed();
    InputGradientGraph vgg = c.usesVgg() ? PerceptualLoss.featureNetwork(c.weights(),
        new ArrayList<>(c.layerWeights().keySet()), c.useInputNorm(), runSeed, "train." + name + "_opt") : null;
    return new ContextualLoss(name, c, vgg, runSeed);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public double weight() {
    return weight;
  }

  /** The VGG-19 feature extractor, or null when only RGB patches are compared. */
  public InputGradientGraph network() {
    return vgg;
  }

  /** The loss with the positions of iteration 0. */
  @Override
  public LossResult compute(INDArray sr, INDArray hr) {
    return compute(sr, hr, 0);
  }

  /** Loss and dLoss/dSr for SR and HR batches [N, 3, H, W] in [0, 1]; positions drawn for {@code iteration}. */
  @Override
  public LossResult compute(INDArray sr, INDArray hr, long iteration) {
    if (!Arrays.equals(sr.shape(), hr.shape()) || sr.rank() != 4 || sr.size(1) != 3) {
      throw new IllegalArgumentException(name + ": needs two [N, 3, H, W] arrays of the same shape, got "
          + Arrays.toString(sr.shape()) + " and " + Arrays.toString(hr.shape()));
    }
    INDArray grad = Nd4j.zeros(sr.dataType(), sr.shape());
    double value = 0;
    if (vgg != null) {
      value += featureTerm(sr, hr, iteration, grad);
    }
    if (rgbWeight > 0) {
      value += patchTerm(sr, hr, iteration, grad);
    }
    return new LossResult(value, grad).scaled(weight);
  }

  /** The VGG part: sum_k w_k mean_b CoBi_k; adds its gradient to {@code grad}. */
  private double featureTerm(INDArray sr, INDArray hr, long iteration, INDArray grad) {
    long t = PhaseTimer.start();
    INDArray[] target = vgg.output(false, hr);
    for (int k = 0; k < target.length; k++) {
      target[k] = target[k].dup();
    }
    INDArray[] features = vgg.forwardTrain(sr);
    PhaseTimer.stop("loss " + name + ": VGG forward (HR, SR)", t);
    int batch = (int) sr.size(0);
    INDArray[] dFeatures = new INDArray[features.length];
    double value = 0;
    for (int k = 0; k < features.length; k++) {
      t = PhaseTimer.start();
      long[] shape = features[k].shape(); // [N, C, h, w]
      dFeatures[k] = Nd4j.zeros(features[k].dataType(), shape);
      if (layerWeights[k] == 0) {
        continue;
      }
      int[] positions = sample((int) (shape[2] * shape[3]), iteration, k);
      INDArray[] targetRows = new INDArray[batch];
      INDArray mean = null; // per-channel mean of the sampled HR features over the batch
      for (int b = 0; b < batch; b++) {
        targetRows[b] = rows(target[k], b, positions);
        mean = mean == null ? targetRows[b].sum(true, 0) : mean.addi(targetRows[b].sum(true, 0));
      }
      mean.divi((double) batch * positions.length);
      double w = layerWeights[k] / batch;
      for (int b = 0; b < batch; b++) {
        ContextualCore.Result r = featureCore.compute(rows(features[k], b, positions), targetRows[b], mean);
        value += w * r.loss();
        putRows(r.gradient().muli(w), positions, dFeatures[k], b);
      }
      PhaseTimer.stop("loss " + name + ": " + layers.get(k), t);
    }
    t = PhaseTimer.start();
    grad.addi(vgg.backpropWithInputGradients(dFeatures).inputs()[0]);
    PhaseTimer.stop("loss " + name + ": VGG backward", t);
    return value;
  }

  /** The RGB part: rgb_weight mean_b CoBi(patches); adds its gradient to {@code grad}. */
  private double patchTerm(INDArray sr, INDArray hr, long iteration, INDArray grad) {
    long t = PhaseTimer.start();
    int batch = (int) sr.size(0);
    int channels = (int) sr.size(1);
    int h = (int) sr.size(2);
    int w = (int) sr.size(3);
    RgbPatches grid = new RgbPatches(patchPx, patchStridePx, h, w);
    int[] positions = sample(grid.positions(), iteration, layerWeights.length);
    double value = 0;
    for (int b = 0; b < batch; b++) {
      INDArray srImage = sr.get(NDArrayIndex.point(b));
      INDArray hrImage = hr.get(NDArrayIndex.point(b));
      ContextualCore.Result r = patchCore.compute(grid.extract(srImage, positions, PIXEL_SCALE),
          grid.extract(hrImage, positions, PIXEL_SCALE), null);
      value += rgbWeight / batch * r.loss();
      double[] g = new double[channels * h * w];
      grid.scatterAdd(r.gradient(), positions, PIXEL_SCALE * rgbWeight / batch, g);
      grad.get(NDArrayIndex.point(b)).addi(Nd4j.createFromArray(g).reshape(channels, h, w).castTo(grad.dataType()));
    }
    PhaseTimer.stop("loss " + name + ": RGB patches", t);
    return value;
  }

  /**
   * The positions used at a layer of {@code count} positions (stream = the layer's index; the RGB patches come
   * last): all of them, or {@code maxPositions} distinct ones drawn from the seed, the stream and the iteration.
   */
  int[] sample(int count, long iteration, int stream) {
    int[] all = new int[count];
    for (int i = 0; i < count; i++) {
      all[i] = i;
    }
    if (count <= maxPositions) {
      return all;
    }
    SplittableRandom rnd = new SplittableRandom(mix(mix(seed + GOLDEN_GAMMA * (stream + 1)) + iteration));
    for (int i = 0; i < maxPositions; i++) { // partial Fisher-Yates shuffle
      int j = i + rnd.nextInt(count - i);
      int tmp = all[i];
      all[i] = all[j];
      all[j] = tmp;
    }
    return Arrays.copyOf(all, maxPositions);
  }

  /** The SplitMix64 finaliser. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The features of image {@code b} of {@code maps} ([N, C, h, w]) at {@code positions}, as rows: [P, C]. */
  private static INDArray rows(INDArray maps, int b, int[] positions) {
    INDArray image = maps.get(NDArrayIndex.point(b)).reshape('c', maps.size(1), maps.size(2) * maps.size(3));
    return Nd4j.pullRows(image.transpose(), 1, positions);
  }

  /** Writes {@code values} ([P, C]) at {@code positions} of image {@code b} of {@code maps} ([N, C, h, w], zeros). */
  private static void putRows(INDArray values, int[] positions, INDArray maps, int b) {
    int c = (int) maps.size(1);
    int count = (int) (maps.size(2) * maps.size(3));
    double[] v = values.dup('c').data().asDouble();
    double[] out = new double[c * count];
    for (int k = 0; k < positions.length; k++) {
      for (int ch = 0; ch < c; ch++) {
        out[ch * count + positions[k]] = v[k * c + ch];
      }
    }
    maps.get(NDArrayIndex.point(b)).assign(Nd4j.createFromArray(out).reshape(c, maps.size(2), maps.size(3))
        .castTo(maps.dataType()));
  }
}
