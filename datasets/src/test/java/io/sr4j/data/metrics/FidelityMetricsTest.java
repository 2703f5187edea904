package io.sr4j.data.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sr4j.data.image.Image;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FidelityMetricsTest {
  private static final int W = 24;
  private static final int H = 20;

  /** a(x,y) = (7x + 13y) mod 256, b(x,y) = (x^2 + 3y) mod 256 on a 24x20 grid. */
  private static double[][] patternPair() {
    double[] a = new double[W * H];
    double[] b = new double[W * H];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        a[y * W + x] = (7 * x + 13 * y) % 256;
        b[y * W + x] = (x * x + 3 * y) % 256;
      }
    }
    return new double[][] {a, b};
  }

  /** Reference values from an independent NumPy/SciPy implementation (scipy.signal.convolve2d, 'valid'). */
  @Test
  void psnrAndSsimOfAPatternPairMatchReference() {
    double[][] p = patternPair();
    assertEquals(8.000464129980632, Psnr.of(p[0], p[1], 255), 1e-10);
    assertEquals(0.21043895234990323, Ssim.of(p[0], p[1], W, H, 255), 1e-10);
  }

  /** A smooth pair: a = 128 + 100 sin(x/3) cos(y/4), b = a + 10 cos(xy/7); reference as above. */
  @Test
  void psnrAndSsimOfASmoothPairMatchReference() {
    double[] a = new double[W * H];
    double[] b = new double[W * H];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        a[y * W + x] = 128 + 100 * Math.sin(x / 3.0) * Math.cos(y / 4.0);
        b[y * W + x] = a[y * W + x] + 10 * Math.cos(x * y / 7.0);
      }
    }
    assertEquals(30.79131349928344, Psnr.of(a, b, 255), 1e-10);
    assertEquals(0.9653856275691025, Ssim.of(a, b, W, H, 255), 1e-10);
  }

  @Test
  void psnrOfUnitMseIs48Point13() {
    double[] a = {0, 0, 0, 0};
    double[] b = {1, -1, 1, -1};
    assertEquals(10 * Math.log10(255.0 * 255.0), Psnr.of(a, b, 255), 1e-12);
    assertEquals(Double.POSITIVE_INFINITY, Psnr.of(a, a, 255));
  }

  /** SSIM written the slow way (full 11x11 window per position) must agree with the separable implementation. */
  @Test
  void ssimAgreesWithDirectWindowedComputation() {
    Random rnd = new Random(7);
    int w = 19;
    int h = 14;
    double[] a = new double[w * h];
    double[] b = new double[w * h];
    for (int i = 0; i < a.length; i++) {
      a[i] = rnd.nextInt(256);
      b[i] = Math.min(255, Math.max(0, a[i] + rnd.nextGaussian() * 20));
    }
    double[] g = Ssim.gaussian1d();
    double c1 = Math.pow(0.01 * 255, 2);
    double c2 = Math.pow(0.03 * 255, 2);
    double sum = 0;
    int n = 0;
    for (int y = 0; y + 11 <= h; y++) {
      for (int x = 0; x + 11 <= w; x++) {
        double ma = 0, mb = 0, saa = 0, sbb = 0, sab = 0;
        for (int dy = 0; dy < 11; dy++) {
          for (int dx = 0; dx < 11; dx++) {
            double wt = g[dy] * g[dx];
            double va = a[(y + dy) * w + x + dx];
            double vb = b[(y + dy) * w + x + dx];
            ma += wt * va;
            mb += wt * vb;
            saa += wt * va * va;
            sbb += wt * vb * vb;
            sab += wt * va * vb;
          }
        }
        double va = saa - ma * ma;
        double vb = sbb - mb * mb;
        double cov = sab - ma * mb;
        sum += (2 * ma * mb + c1) * (2 * cov + c2) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
        n++;
      }
    }
    assertEquals(sum / n, Ssim.of(a, b, w, h, 255), 1e-12);
    assertEquals(1.0, Ssim.of(a, a, w, h, 255), 1e-12);
  }

  @Test
  void ssimWindowIsANormalisedGaussianWithSigma1Point5() {
    double[] g = Ssim.gaussian1d();
    assertEquals(11, g.length);
    double s = 0;
    for (double v : g) {
      s += v;
    }
    assertEquals(1.0, s, 1e-15);
    assertEquals(Math.exp(-1 / (2 * 1.5 * 1.5)), g[6] / g[5], 1e-15);
  }

  @Test
  void protocolCropsBorderAndMeasuresY() {
    // 30x30 RGB images that differ only inside a 2-pixel frame: with border 2 they are identical
    int n = 30;
    float[] r = new float[n * n];
    float[] g = new float[n * n];
    float[] b = new float[n * n];
    float[] r2 = new float[n * n];
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        int i = y * n + x;
        r[i] = (x * 8) / 255f;
        g[i] = (y * 8) / 255f;
        b[i] = 0.5f;
        boolean frame = x < 2 || y < 2 || x >= n - 2 || y >= n - 2;
        r2[i] = frame ? 1f - r[i] : r[i];
      }
    }
    Image ref = Image.of(n, n, r, g, b);
    Image out = Image.of(n, n, r2, g, b);
    QualityScore cropped = new FidelityProtocol(MetricChannel.Y, 2).measure(out, ref);
    assertEquals(Double.POSITIVE_INFINITY, cropped.psnr());
    assertEquals(1.0, cropped.ssim(), 1e-12);
    QualityScore uncropped = new FidelityProtocol(MetricChannel.RGB, 0).measure(out, ref);
    assertEquals(true, uncropped.psnr() < 30);
    double[][] planes = new FidelityProtocol(MetricChannel.Y, 3).measuredPlanes(ref);
    assertEquals(1, planes.length);
    assertEquals(24 * 24, planes[0].length);
    // Y of the first measured pixel (x=3, y=3): R=24, G=24, B=round(127.5)=128
    assertEquals(16 + (65.481 * 24 + 128.553 * 24 + 24.966 * 128) / 255.0, planes[0][0], 1e-9);
  }

  @Test
  void protocolQuantisesTo8BitsBeforeMeasuring() {
    float[] a = new float[144];
    float[] b = new float[144];
    for (int i = 0; i < a.length; i++) {
      a[i] = (i % 200) / 255f;
      b[i] = a[i] + 0.4f / 255f; // rounds back to the same code
    }
    QualityScore s = new FidelityProtocol(MetricChannel.Y, 0).measure(Image.of(12, 12, b), Image.of(12, 12, a));
    assertEquals(Double.POSITIVE_INFINITY, s.psnr());
  }

  @Test
  void protocolRejectsSizeMismatch() {
    Image a = Image.of(12, 12, new float[144]);
    Image b = Image.of(12, 13, new float[156]);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new FidelityProtocol(MetricChannel.Y, 0).measure(a, b));
    assertEquals(true, e.getMessage().contains("12x12") && e.getMessage().contains("12x13"));
  }
}
