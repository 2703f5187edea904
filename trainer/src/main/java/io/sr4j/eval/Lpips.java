package io.sr4j.eval;

import io.sr4j.arch.Vgg16Features;
import io.sr4j.ckpt.PublishedWeights;
import io.sr4j.ckpt.WeightsZoo;
import io.sr4j.ckpt.formats.StateDict;
import io.sr4j.ckpt.formats.Tensor;
import io.sr4j.data.BadInputException;
import io.sr4j.data.image.Image;
import io.sr4j.infer.NetworkUpscaler;
import java.nio.file.Path;
import java.util.Arrays;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * LPIPS (Zhang et al. 2018, "The Unreasonable Effectiveness of Deep Features as a Perceptual Metric"), version 0.1
 * with VGG-16 features, as the authors' {@code lpips.LPIPS(net='vgg')} computes it: both images (RGB in [0,1]) go
 * through LPIPS's scaling layer and torchvision's VGG-16 ({@link Vgg16Features}); at relu1_2, relu2_2, relu3_3,
 * relu4_3 and relu5_3 each feature vector is divided by its norm over channels ({@code x / (sqrt(sum_c x^2) +
 * 1e-10)}), the squared difference is weighted per channel by the layer's 1x1 linear layer (no bias; the LPIPS
 * file's {@code lin<k>.model.1.weight}) and averaged over the image; the five averages are summed. 0 for identical
 * images, larger is more different. Gray images are compared as RGB. Memory: the five feature maps of both images
 * (122 floats per pixel each) plus one layer's working memory; the network's other activations are freed as it runs.
 */
public final class Lpips {
  private static final double EPS = 1e-10;
  /** Channels of the five compared layers relative to the first (64, 128, 256, 512, 512 in LPIPS-VGG). */
  private static final int[] WIDTH = {1, 2, 4, 8, 8};
  /** Smallest side: relu5_3 is 1/16 of the input after four 2x2 poolings. */
  private static final int MIN_SIDE_PX = 16;

  private final ComputationGraph features;
  private final float[][] linear; // [layer][channel] weights of the 1x1 linear layers

  /**
   * LPIPS-VGG from torchvision's VGG-16 weights ({@code vgg16-397923af.pth}) and the LPIPS v0.1 linear layers
   * ({@code weights/v0.1/vgg.pth} of the authors' repository).
   */
  public Lpips(Path vgg16Weights, Path linearWeights) {
    this.features = NetworkUpscaler.withInferenceWorkspaces(
        PublishedWeights.vgg16(vgg16Weights, Vgg16Features.LPIPS_LAYERS, "lpips"));
    this.linear = readLinear(PublishedWeights.readTorch(linearWeights, null));
  }

  /**
   * LPIPS-VGG with the weights of the zoo ({@code zoo:vgg16} and {@code zoo:lpips-vgg}); a missing file is reported
   * with the command that downloads it.
   */
  public static Lpips fromZoo() {
    return new Lpips(WeightsZoo.resolve(WeightsZoo.PREFIX + "vgg16", "LPIPS feature network"),
        WeightsZoo.resolve(WeightsZoo.PREFIX + "lpips-vgg", "LPIPS linear layers"));
  }

  /** The five 1x1 linear layers, each [1, C_k, 1, 1] with C_k = C_0 times 1, 2, 4, 8, 8. */
  private static float[][] readLinear(StateDict dict) {
    long first = dict.get("lin0.model.1.weight").shape()[1];
    float[][] w = new float[WIDTH.length][];
    for (int k = 0; k < WIDTH.length; k++) {
      String key = "lin" + k + ".model.1.weight";
      Tensor t = dict.get(key);
      long[] expected = {1, first * WIDTH[k], 1, 1};
      if (!Arrays.equals(t.shape(), expected)) {
        throw new BadInputException(dict.source() + ": " + key + " has shape " + Arrays.toString(t.shape())
            + ", expected " + Arrays.toString(expected) + " (is this LPIPS v0.1's file for VGG?)");
      }
      w[k] = t.data();
    }
    return w;
  }

  /** LPIPS between two images of the same size (at least 16 x 16 pixels); alpha is ignored. */
  public synchronized double distance(Image a, Image b) {
    if (a.width() != b.width() || a.height() != b.height()) {
      throw new BadInputException("LPIPS compares images of one size, got " + a.width() + "x" + a.height() + " and "
          + b.width() + "x" + b.height());
    }
    if (a.width() < MIN_SIDE_PX || a.height() < MIN_SIDE_PX) {
      throw new BadInputException("LPIPS needs images of at least " + MIN_SIDE_PX + "x" + MIN_SIDE_PX + " pixels, got "
          + a.width() + "x" + a.height());
    }
    INDArray[] fa = features.output(false, nchw(a));
    INDArray[] fb = features.output(false, nchw(b));
    double sum = 0;
    for (int k = 0; k < fa.length; k++) {
      sum += layerDistance(fa[k], fb[k], linear[k]);
      fa[k].close();
      fb[k].close();
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
