package io.sr4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Shared helpers of the io.sr4j.nn tests: a direct (loop) reference convolution, comparisons, gradient checks. */
final class NnTestSupport {

  private NnTestSupport() {
  }

  /** {@code body}'s result, computed while system property {@code key} is {@code value} (restored afterwards). */
  static <T> T withProperty(String key, String value, Supplier<T> body) {
    String old = System.getProperty(key);
    System.setProperty(key, value);
    try {
      return body.get();
    } finally {
      if (old == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, old);
      }
    }
  }

  /**
   * Direct convolution (cross-correlation, as PyTorch) of x [N, Cin, H, W] with w [Cout, Cin, kH, kW] and optional
   * bias b [Cout]: zero padding (padH, padW) per side, or, if {@code replicate}, edge padding of (padH, padW) per
   * side (out-of-range indices clamped to the border). Computed in double; returns [N, Cout, outH, outW] DOUBLE.
   */
  static INDArray naiveConv(INDArray x, INDArray w, INDArray b, int strideH, int strideW, int padH, int padW,
      boolean replicate) {
    int n = (int) x.size(0);
    int cin = (int) x.size(1);
    int h = (int) x.size(2);
    int wd = (int) x.size(3);
    int cout = (int) w.size(0);
    int kh = (int) w.size(2);
    int kw = (int) w.size(3);
    int outH = (h + 2 * padH - kh) / strideH + 1;
    int outW = (wd + 2 * padW - kw) / strideW + 1;
    double[][][][] xs = toArray(x);
    double[][][][] ws = toArray(w);
    INDArray out = Nd4j.create(DataType.DOUBLE, n, cout, outH, outW);
    for (int i = 0; i < n; i++) {
      for (int o = 0; o < cout; o++) {
        for (int oy = 0; oy < outH; oy++) {
          for (int ox = 0; ox < outW; ox++) {
            double s = b == null ? 0 : b.getDouble(o);
            for (int c = 0; c < cin; c++) {
              for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                  int y = oy * strideH - padH + ky;
                  int xx = ox * strideW - padW + kx;
                  if (replicate) {
                    y = Math.min(Math.max(y, 0), h - 1);
                    xx = Math.min(Math.max(xx, 0), wd - 1);
                  } else if (y < 0 || y >= h || xx < 0 || xx >= wd) {
                    continue;
                  }
                  s += xs[i][c][y][xx] * ws[o][c][ky][kx];
                }
              }
            }
            out.putScalar(new long[] {i, o, oy, ox}, s);
          }
        }
      }
    }
    return out;
  }

  /** x [N, C, H, W] edge-padded by (padH, padW) per side by index clamping: [N, C, H+2padH, W+2padW] DOUBLE. */
  static INDArray naiveEdgePad(INDArray x, int padH, int padW) {
    int h = (int) x.size(2);
    int w = (int) x.size(3);
    INDArray out = Nd4j.create(DataType.DOUBLE, x.size(0), x.size(1), h + 2L * padH, w + 2L * padW);
    for (int i = 0; i < x.size(0); i++) {
      for (int c = 0; c < x.size(1); c++) {
        for (int y = 0; y < h + 2 * padH; y++) {
          for (int xx = 0; xx < w + 2 * padW; xx++) {
            int sy = Math.min(Math.max(y - padH, 0), h - 1);
            int sx = Math.min(Math.max(xx - padW, 0), w - 1);
            out.putScalar(new long[] {i, c, y, xx}, x.getDouble(i, c, sy, sx));
          }
        }
      }
    }
    return out;
  }

  private static double[][][][] toArray(INDArray a) {
    double[][][][] r = new double[(int) a.size(0)][(int) a.size(1)][(int) a.size(2)][(int) a.size(3)];
    for (int i = 0; i < r.length; i++) {
      for (int j = 0; j < r[i].length; j++) {
        for (int k = 0; k < r[i][j].length; k++) {
          for (int l = 0; l < r[i][j][k].length; l++) {
            r[i][j][k][l] = a.getDouble(i, j, k, l);
          }
        }
      }
    }
    return r;
  }

  /** Asserts equal shapes and max |a - b| <= tol * max(1, max |b|). */
  static void assertClose(INDArray expected, INDArray actual, double tol, String what) {
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    INDArray e = expected.castTo(DataType.DOUBLE);
    INDArray a = actual.castTo(DataType.DOUBLE);
    double maxDiff = e.sub(a).amaxNumber().doubleValue();
    double scale = Math.max(1.0, e.amaxNumber().doubleValue());
    assertTrue(maxDiff <= tol * scale, what + ": max |diff| = " + maxDiff + " > " + tol * scale);
  }

  /** Runs GradientCheckUtil (double precision) on a graph with one input and one loss output. */
  static void assertGradientsOk(ComputationGraph graph, INDArray input, INDArray labels) {
    boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
        .net(graph)
        .inputs(new INDArray[] {input})
        .labels(new INDArray[] {labels})
        .epsilon(1e-6)
        .maxRelError(1e-5)
        .minAbsoluteError(1e-8)
        .exitOnFirstError(false)
        .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    assertTrue(ok, "gradient check failed (see log)");
  }

  /** Uniform random array in [-1, 1). */
  static INDArray uniform(DataType type, long... shape) {
    return Nd4j.rand(type, shape).muli(2).subi(1);
  }
}
