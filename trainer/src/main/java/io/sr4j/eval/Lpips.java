package io.sr4j.eval;

import io.sr4j.arch.AlexNetFeatures;
import io.sr4j.arch.Vgg16Features;
import io.sr4j.ckpt.PublishedWeights;
import io.sr4j.ckpt.WeightsZoo;
import io.sr4j.ckpt.formats.StateDict;
import io.sr4j.ckpt.formats.Tensor;
import io.sr4j.data.BadInputException;
import io.sr4j.data.image.Image;
import io.sr4j.infer.NetworkUpscaler;
import io.sr4j.nn.HostBuffers;
import java.nio.file.Path;
import java.util.Arrays;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * LPIPS (Zhang et al. 2018, "The Unreasonable Effectiveness of Deep Features as a Perceptual Metric"), version 0.1,
 * as the authors' {@code lpips.LPIPS(net='vgg')} or {@code net='alex'} computes it: both images (RGB in [0,1]) go
 * through LPIPS's scaling layer and torchvision's VGG-16 ({@link Vgg16Features}) or AlexNet ({@link AlexNetFeatures});
 * at five ReLU layers (VGG: relu1_2, relu2_2, relu3_3, relu4_3, relu5_3; AlexNet: relu1 ... relu5) each feature
 * vector is divided by its norm over channels ({@code x / (sqrt(sum_c x^2) + 1e-10)}), the squared difference is
 * weighted per channel by the layer's 1x1 linear layer (no bias; the LPIPS file's {@code lin<k>.model.1.weight}) and
 * averaged over the image; the five averages are summed. 0 for identical images, larger is more different. Gray
 * images are compared as RGB. Memory: the five feature maps of both images (VGG: 122 floats per pixel each) plus one
 * layer's working memory; the network's other activations are freed as it runs.
 */
public final class Lpips {
  private static final double EPS = 1e-10;

  /** The feature networks of LPIPS v0.1 that sr4j computes, with their zoo entries. */
  public enum Network {
    /** VGG-16: zoo:vgg16 and zoo:lpips-vgg. */
    VGG("vgg16", "lpips-vgg", new int[] {64, 128, 256, 512, 512}, 16),
    /** AlexNet, LPIPS's default: zoo:alexnet and zoo:lpips-alex. */
    ALEX("alexnet", "lpips-alex", new int[] {64, 192, 384, 256, 256}, 31);

    private final String featureEntry;
    private final String linearEntry;
    private final int[] widthPer64; // channels of the five compared layers at num_feat 64
    private final int minSidePx; // smallest input side that leaves every compared layer at least 1x1

    Network(String featureEntry, String linearEntry, int[] widthPer64, int minSidePx) {
      this.featureEntry = featureEntry;
      this.linearEntry = linearEntry;
      this.widthPer64 = widthPer64;
      this.minSidePx = minSidePx;
    }
  }

  private final Network network;
  private final ComputationGraph features;
  private final float[][] linear; // [layer][channel] weights of the 1x1 linear layers

  /**
   * LPIPS v0.1 of {@code network} from torchvision's feature weights ({@code vgg16-397923af.pth} or
   * {@code alexnet-owt-7be5be79.pth}) and the LPIPS linear layers ({@code weights/v0.1/vgg.pth} or {@code alex.pth}
   * of the authors' repository).
   */
  public Lpips(Network network, Path featureWeights, Path linearWeights) {
    this.network = network;
    this.features = io.sr4j.nn.Graphs.inferenceView(network == Network.VGG
        ? PublishedWeights.vgg16(featureWeights, Vgg16Features.LPIPS_LAYERS, "lpips")
        : PublishedWeights.alexnet(featureWeights, AlexNetFeatures.LPIPS_LAYERS, "lpips"));
    this.linear = readLinear(PublishedWeights.readTorch(linearWeights, null), network);
  }

  /**
   * LPIPS of {@code network} with the weights of the zoo (VGG: {@code zoo:vgg16}, {@code zoo:lpips-vgg}; AlexNet:
   * {@code zoo:alexnet}, {@code zoo:lpips-alex}); a missing file is reported with the command that downloads it.
   */
  public static Lpips fromZoo(Network network) {
    return new Lpips(network,
        WeightsZoo.resolve(WeightsZoo.PREFIX + network.featureEntry, "LPIPS feature network"),
        WeightsZoo.resolve(WeightsZoo.PREFIX + network.linearEntry, "LPIPS linear layers"));
  }

  /** The five 1x1 linear layers, [1, C_k, 1, 1] with the network's widths (scaled by lin0's: 64 when published). */
  private static float[][] readLinear(StateDict dict, Network network) {
    long numFeat = dict.get("lin0.model.1.weight").shape()[1];
    float[][] w = new float[network.widthPer64.length][];
    for (int k = 0; k < w.length; k++) {
      String key = "lin" + k + ".model.1.weight";
      Tensor t = dict.get(key);
      long[] expected = {1, network.widthPer64[k] * numFeat / 64, 1, 1};
      if (!Arrays.equals(t.shape(), expected)) {
        throw new BadInputException(dict.source() + ": " + key + " has shape " + Arrays.toString(t.shape())
            + ", expected " + Arrays.toString(expected) + " (is this LPIPS v0.1's file for " + network.featureEntry
            + "?)");
      }
      w[k] = t.data();
    }
    return w;
  }

  /** LPIPS between two images of the same size (VGG: at least 16 x 16 pixels, AlexNet 31 x 31); alpha is ignored. */
  public synchronized double distance(Image a, Image b) {
    if (a.width() != b.width() || a.height() != b.height()) {
      throw new BadInputException("LPIPS compares images of one size, got " + a.width() + "x" + a.height() + " and "
          + b.width() + "x" + b.height());
    }
    int min = network.minSidePx;
    if (a.width() < min || a.height() < min) {
      throw new BadInputException("LPIPS (" + network.featureEntry + ") needs images of at least " + min + "x" + min
          + " pixels, got " + a.width() + "x" + a.height());
    }
    INDArray[] fa = features.output(false, nchw(a));
    INDArray[] fb = features.output(false, nchw(b));
    double sum = 0;
    for (int k = 0; k < fa.length; k++) {
      sum += layerDistance(fa[k], fb[k], linear[k]);
      HostBuffers.release(fa[k]);
      HostBuffers.release(fb[k]);
    }
    return sum;
  }

  /** The spatial mean of the weighted squared difference of the channel-normalised features [1, C, h, w]. */
  private static double layerDistance(INDArray fa, INDArray fb, float[] weight) {
    int c = (int) fa.size(1);
    int hw = (int) (fa.size(2) * fa.size(3));
    float[] a = fa.castTo(DataType.FLOAT).dup('c').data().asFloat();
    float[] b = fb.castTo(DataType.FLOAT).dup('c').data().asFloat();
    double total = 0;
    for (int p = 0; p < hw; p++) {
      double na = 0;
      double nb = 0;
      for (int ch = 0; ch < c; ch++) {
        na += (double) a[ch * hw + p] * a[ch * hw + p];
        nb += (double) b[ch * hw + p] * b[ch * hw + p];
      }
      double ia = 1 / (Math.sqrt(na) + EPS);
      double ib = 1 / (Math.sqrt(nb) + EPS);
      double d = 0;
      for (int ch = 0; ch < c; ch++) {
        double diff = a[ch * hw + p] * ia - b[ch * hw + p] * ib;
        d += weight[ch] * diff * diff;
      }
      total += d;
    }
    return total / hw;
  }

  /** [1, 3, h, w] in [0,1]; gray is replicated to RGB. */
  private static INDArray nchw(Image img) {
    float[][] planes = img.toRgb().planes();
    int n = img.width() * img.height();
    float[] x = new float[3 * n];
    for (int c = 0; c < 3; c++) {
      System.arraycopy(planes[c], 0, x, c * n, n);
    }
    return Nd4j.create(x, new long[] {1, 3, img.height(), img.width()}, 'c');
  }
}
