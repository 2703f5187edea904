package io.sr4j.loss;

import io.sr4j.nn.PlaneMatmul;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code weight * (1 - SSIM)} as a differentiable training loss, SSIM as Wang et al. define it on [0, 1] images: 11x11 Gaussian
 * window (sigma 1.5), C1 = 0.01^2, C2 = 0.03^2, 'valid' filtering, mean over the map, the channels and the batch.
 * The gradient is analytic: with {@code S = A1 A2 / (B1 B2)}, {@code A1 = 2 mu_x mu_y + C1},
 * {@code A2 = 2 s_xy + C2}, {@code B1 = mu_x^2 + mu_y^2 + C1}, {@code B2 = s_xx + s_yy + C2}, the map depends on x
 * through the filtered {@code mu_x = G*x}, {@code E_xx = G*x^2} and {@code E_xy = G*(xy)}, whose derivatives are
 * pulled back through the (transposed) filter.
 */
public final class SsimLoss implements LossTerm {
  private static final int WINDOW = 11;
  private static final double SIGMA = 1.5;
  private static final double C1 = 0.01 * 0.01;
  private static final double C2 = 0.03 * 0.03;

  private final String name;
  private final double weight;

  public SsimLoss(String name, double weight) {
    this.name = name;
    this.weight = weight;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public double weight() {
    return weight;
  }

  /** [n - 10, n] matrix of 'valid' correlation with the normalised 1-D Gaussian. */
  static INDArray validFilter(int n, DataType type) {
    double[] g = new double[WINDOW];
    double sum = 0;
    for (int i = 0; i < WINDOW; i++) {
      g[i] = Math.exp(-((i - WINDOW / 2) * (i - WINDOW / 2)) / (2 * SIGMA * SIGMA));
      sum += g[i];
    }
    double[][] m = new double[n - WINDOW + 1][n];
    for (int o = 0; o < m.length; o++) {
      for (int t = 0; t < WINDOW; t++) {
        m[o][o + t] = g[t] / sum;
      }
    }
    return Nd4j.create(m).castTo(type);
  }

  @Override
  public LossResult compute(INDArray x, INDArray y) {
    if (x.rank() != 4 || !java.util.Arrays.equals(x.shape(), y.shape())) {
      throw new IllegalArgumentException("SSIM loss needs two [N, C, H, W] arrays of the same shape");
    }
    int h = (int) x.size(2);
    int w = (int) x.size(3);
    if (h < WINDOW || w < WINDOW) {
      throw new IllegalArgumentException("SSIM loss needs patches of at least 11x11 pixels, got " + h + "x" + w);
    }
    INDArray gh = validFilter(h, x.dataType());
    INDArray gw = validFilter(w, x.dataType());
    INDArray muX = PlaneMatmul.apply(x, gh, gw);
    INDArray muY = PlaneMatmul.apply(y, gh, gw);
    INDArray exx = PlaneMatmul.apply(x.mul(x), gh, gw);
    INDArray eyy = PlaneMatmul.apply(y.mul(y), gh, gw);
    INDArray exy = PlaneMatmul.apply(x.mul(y), gh, gw);
    INDArray a1 = muX.mul(muY).muli(2).addi(C1);
    INDArray a2 = exy.sub(muX.mul(muY)).muli(2).addi(C2);
    INDArray b1 = muX.mul(muX).addi(muY.mul(muY)).addi(C1);
    INDArray b2 = exx.sub(muX.mul(muX)).addi(eyy.sub(muY.mul(muY))).addi(C2);
    INDArray s = a1.mul(a2).divi(b1.mul(b2)); // SSIM map
    double count = s.length();
    double value = 1 - s.sumNumber().doubleValue() / count;
    // dL/dS = -1/count at every map position
    INDArray dS = s.div(-count);
    // d/dmu_x (E_xx, E_xy fixed): S * (2 mu_y / A1 - 2 mu_y / A2 - 2 mu_x / B1 + 2 mu_x / B2)
    INDArray dMu = muY.mul(2).divi(a1).subi(muY.mul(2).divi(a2)).subi(muX.mul(2).divi(b1)).addi(muX.mul(2).divi(b2))
        .muli(dS);
    INDArray dExx = dS.div(b2).negi(); // dS/dE_xx = -S / B2
    INDArray dExy = dS.mul(2).divi(a2); // dS/dE_xy = 2 S / A2
    INDArray ghT = gh.transpose();
    INDArray gwT = gw.transpose();
    INDArray grad = PlaneMatmul.apply(dMu, ghT, gwT)
        .addi(PlaneMatmul.apply(dExx, ghT, gwT).muli(x).muli(2))
        .addi(PlaneMatmul.apply(dExy, ghT, gwT).muli(y));
    return new LossResult(value, grad).scaled(weight);
  }
}
