package io.sr4j.data.resize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.data.image.Image;
import org.junit.jupiter.api.Test;

class ImresizeTest {
  private static final double EPS = 1e-12;

  /** x2 bicubic: output 1 sits at u = 0.75; taps j = -1..2 at distances 1.75, 0.75, -0.25, -1.25. */
  @Test
  void bicubicX2WeightsAndMirroredIndicesMatchHandComputation() {
    Imresize.Contributions c = Imresize.contributions(4, 8, 2.0, ResizeKernel.BICUBIC, true);
    assertEquals(4, c.taps(), "the all-zero first and last tap columns are dropped");
    double[] row0 = {c.weight(0, 0), c.weight(0, 1), c.weight(0, 2), c.weight(0, 3)};
    assertArrayEquals(new double[] {-0.0234375, 0.2265625, 0.8671875, -0.0703125}, row0, EPS);
    // 1-based j = -1, 0, 1, 2 mirror (symmetric, edge repeated) to 2, 1, 1, 2, i.e. 0-based 1, 0, 0, 1
    int[] idx0 = {c.index(0, 0), c.index(0, 1), c.index(0, 2), c.index(0, 3)};
    assertArrayEquals(new int[] {1, 0, 0, 1}, idx0);
    // last output (u = 4.25) mirrors past the right edge: j = 3, 4, 5, 6 -> 3, 4, 4, 3 (1-based)
    int[] idx7 = {c.index(7, 0), c.index(7, 1), c.index(7, 2), c.index(7, 3)};
    assertArrayEquals(new int[] {2, 3, 3, 2}, idx7);
    assertArrayEquals(new double[] {-0.0703125, 0.8671875, 0.2265625, -0.0234375},
        new double[] {c.weight(7, 0), c.weight(7, 1), c.weight(7, 2), c.weight(7, 3)}, EPS);
  }

  /** x0.5 antialiased bicubic: kernel 0.5*cubic(x/2), width 8; output 1 at u = 1.5. */
  @Test
  void antialiasedHalvingStretchesTheKernel() {
    Imresize.Contributions c = Imresize.contributions(8, 4, 0.5, ResizeKernel.BICUBIC, true);
    assertEquals(8, c.taps());
    double[] expected = {-0.01171875, -0.03515625, 0.11328125, 0.43359375, 0.43359375, 0.11328125, -0.03515625, -0.01171875};
    double[] row0 = new double[8];
    int[] idx0 = new int[8];
    for (int t = 0; t < 8; t++) {
      row0[t] = c.weight(0, t);
      idx0[t] = c.index(0, t);
    }
    assertArrayEquals(expected, row0, EPS);
    assertArrayEquals(new int[] {2, 1, 0, 0, 1, 2, 3, 4}, idx0);
  }

  @Test
  void withoutAntialiasingShrinkingUsesTheUnstretchedKernel() {
    Imresize.Contributions c = Imresize.contributions(8, 4, 0.5, ResizeKernel.BICUBIC, false);
    assertEquals(4, c.taps());
    // u = 1.5: j = 0..3 at distances 1.5, 0.5, -0.5, -1.5 -> cubic = -0.0625, 0.5625, 0.5625, -0.0625
    assertArrayEquals(new double[] {-0.0625, 0.5625, 0.5625, -0.0625},
        new double[] {c.weight(0, 0), c.weight(0, 1), c.weight(0, 2), c.weight(0, 3)}, EPS);
  }

  @Test
  void oneDimensionalBicubicX2OfARow() {
    Image row = Image.of(4, 1, new float[] {0f, 0.2f, 0.6f, 1.0f});
    float[] out = Imresize.resizeTo(row, 8, 1, ResizeKernel.BICUBIC, SampleType.FLOAT).plane(0);
    assertEquals(8, out.length);
    double x0 = 0;
    double x1 = 0.2f;
    // out[0] = -0.0234375*x1 + 0.2265625*x0 + 0.8671875*x0 - 0.0703125*x1
    assertEquals(-0.0234375 * x1 + 0.2265625 * x0 + 0.8671875 * x0 - 0.0703125 * x1, out[0], 1e-7);
    // u = 1.25: j = 0..3 at 1.25, 0.25, -0.75, -1.75 -> weights -0.0703125, 0.8671875, 0.2265625, -0.0234375
    double x2 = 0.6f;
    assertEquals(-0.0703125 * x0 + 0.8671875 * x0 + 0.2265625 * x1 - 0.0234375 * x2, out[1], 1e-7);
  }

  @Test
  void nearestPicksMatlabsSamples() {
    Image row = Image.of(4, 1, new float[] {0.1f, 0.2f, 0.3f, 0.4f});
    // MATLAB: imresize([1 2 3 4], 0.5, 'nearest') = [2 4]; imresize([1 2], 2, 'nearest') = [1 1 2 2]
    assertArrayEquals(new float[] {0.2f, 0.4f}, Imresize.resizeTo(row, 2, 1, ResizeKernel.NEAREST, SampleType.FLOAT).plane(0));
    Image two = Image.of(2, 1, new float[] {0.1f, 0.2f});
    assertArrayEquals(new float[] {0.1f, 0.1f, 0.2f, 0.2f},
        Imresize.resizeTo(two, 4, 1, ResizeKernel.NEAREST, SampleType.FLOAT).plane(0));
  }

  @Test
  void bilinearX2OfTwoSamples() {
    // MATLAB: imresize([0 1], 2, 'bilinear') = [0 0.25 0.75 1]
    Image two = Image.of(2, 1, new float[] {0f, 1f});
    assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f},
        Imresize.resizeTo(two, 4, 1, ResizeKernel.BILINEAR, SampleType.FLOAT).plane(0), 1e-7f);
  }

  /** Output size is ceil(in * scale), including odd sizes and fractional factors. */
  @Test
  void outputSizesFollowMatlab() {
    Image img = Image.of(7, 5, new float[35]);
    Image half = Imresize.resize(img, 0.5, ResizeKernel.BICUBIC, SampleType.FLOAT);
    assertEquals(4, half.width());
    assertEquals(3, half.height());
    Image x3 = Imresize.resize(img, 3, ResizeKernel.BICUBIC, SampleType.FLOAT);
    assertEquals(21, x3.width());
    assertEquals(15, x3.height());
    Image x4 = Imresize.resize(img, 4, ResizeKernel.BICUBIC, SampleType.FLOAT);
    assertEquals(28, x4.width());
    assertEquals(20, x4.height());
    Image third = Imresize.resize(Image.of(9, 6, new float[54]), 1.0 / 3, ResizeKernel.BICUBIC, SampleType.FLOAT);
    assertEquals(3, third.width());
    assertEquals(2, third.height());
  }

  /** A 5x7 test pattern, values (37x + 11y) mod 256 on the 8-bit grid. */
  private static Image pattern() {
    int w = 5;
    int h = 7;
    float[] p = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        p[y * w + x] = ((37 * x + 11 * y) % 256) / 255f;
      }
    }
    return Image.of(w, h, p);
  }

  /** Values computed with an independent NumPy implementation of MATLAB's imresize (double input). */
  @Test
  void oddSizedDownscaleByThreeMatchesReference() {
    Image out = Imresize.resize(pattern(), 1.0 / 3, ResizeKernel.BICUBIC, SampleType.FLOAT);
    assertEquals(2, out.width());
    assertEquals(3, out.height());
    double[] expected255 = {45.5432098765, 146.037037037, 80.987654321, 181.4814814815, 98.2345679012, 198.7283950617};
    for (int i = 0; i < expected255.length; i++) {
      assertEquals(expected255[i], out.plane(0)[i] * 255.0, 1e-4, "sample " + i);
    }
  }

  /** Values computed with an independent NumPy implementation of MATLAB's imresize (double input). */
  @Test
  void halvingMatchesReference() {
    Image out = Imresize.resize(pattern(), 0.5, ResizeKernel.BICUBIC, SampleType.FLOAT);
    assertEquals(3, out.width());
    assertEquals(4, out.height());
    double[] expected = {
      0.08455882352941176, 0.39062500000000006, 0.5975030637254904,
      0.17251838235294115, 0.4785845588235295, 0.6854626225490198,
      0.2623314950980392, 0.5683976715686274, 0.7752757352941176,
      0.3233302696078432, 0.6293964460784315, 0.8362745098039217
    };
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], out.plane(0)[i], 1e-6, "sample " + i);
    }
  }

  /** The sum of the uint8 x3 enlargement computed with the independent NumPy implementation: 33717. */
  @Test
  void uint8EnlargementRoundsEachPass() {
    Image out = Imresize.resize(pattern(), 3, ResizeKernel.BICUBIC, SampleType.UINT8);
    double sum = 0;
    for (float v : out.plane(0)) {
      double code = v * 255.0;
      assertEquals(Math.rint(code), code, 1e-3, "uint8 output lies on the 8-bit grid");
      sum += Math.rint(code);
    }
    assertEquals(33717, sum, 0.0);
  }

  /** With uint8 arithmetic the first pass is rounded before the second: differs from rounding once at the end. */
  @Test
  void uint8RoundsBetweenPassesHeightFirst() {
    Image img = pattern();
    Imresize.Contributions rows = Imresize.contributions(7, 3, 1.0 / 3, ResizeKernel.BICUBIC, true);
    Imresize.Contributions cols = Imresize.contributions(5, 2, 1.0 / 3, ResizeKernel.BICUBIC, true);
    // height pass by hand, rounded to uint8
    double[] mid = new double[5 * 3];
    for (int o = 0; o < 3; o++) {
      for (int x = 0; x < 5; x++) {
        double s = 0;
        for (int t = 0; t < rows.taps(); t++) {
          s += rows.weight(o, t) * Math.round(img.get(0, x, rows.index(o, t)) * 255.0);
        }
        mid[o * 5 + x] = Math.min(255, Math.max(0, Math.round(s)));
      }
    }
    float[] got = Imresize.resize(img, 1.0 / 3, ResizeKernel.BICUBIC, SampleType.UINT8).plane(0);
    for (int y = 0; y < 3; y++) {
      for (int o = 0; o < 2; o++) {
        double s = 0;
        for (int t = 0; t < cols.taps(); t++) {
          s += cols.weight(o, t) * mid[y * 5 + cols.index(o, t)];
        }
        assertEquals(Math.min(255, Math.max(0, Math.round(s))), Math.round(got[y * 2 + o] * 255.0), "pixel " + o + "," + y);
      }
    }
  }

  @Test
  void uint8SaturatesOvershoot() {
    // a hard edge: bicubic overshoots below 0 and above 255; uint8 clamps, float does not
    float[] p = {0, 0, 1, 1, 0, 0, 1, 1};
    Image edge = Image.of(8, 1, p);
    float[] f = Imresize.resizeTo(edge, 16, 1, ResizeKernel.BICUBIC, SampleType.FLOAT).plane(0);
    float[] u = Imresize.resizeTo(edge, 16, 1, ResizeKernel.BICUBIC, SampleType.UINT8).plane(0);
    double min = 1;
    double max = 0;
    for (int i = 0; i < f.length; i++) {
      min = Math.min(min, f[i]);
      max = Math.max(max, f[i]);
      assertTrue(u[i] >= 0 && u[i] <= 1);
    }
    assertTrue(min < 0 && max > 1, "float keeps the overshoot");
  }

  @Test
  void alphaIsResampledSeparatelyAndKeptOutOfColour() {
    float[] c = new float[16];
    float[] a = new float[16];
    for (int i = 0; i < 16; i++) {
      c[i] = 0.5f;
      a[i] = i < 8 ? 1f : 0f;
    }
    Image rgba = new Image(4, 4, new float[][] {c, c, c}, a, 8);
    Image out = Imresize.resize(rgba, 2, ResizeKernel.BICUBIC, SampleType.FLOAT);
    assertTrue(out.hasAlpha());
    for (float v : out.plane(1)) {
      assertEquals(0.5f, v, 1e-6f, "a constant colour plane stays constant whatever alpha does");
    }
    assertEquals(1f, out.alpha()[0], 1e-6f);
    assertEquals(0f, out.alpha()[63], 1e-6f);
  }

  @Test
  void mirrorIndexing() {
    // aux = [1 2 3, 3 2 1] for n = 3 (1-based); returned 0-based
    int[] expected = {0, 1, 2, 2, 1, 0, 0, 1, 2};
    for (int j = 1; j <= 9; j++) {
      assertEquals(expected[j - 1], ResizeBorder.SYMMETRIC.sourceIndex(j, 3), "j=" + j);
    }
    assertEquals(0, ResizeBorder.SYMMETRIC.sourceIndex(0, 3));
    assertEquals(1, ResizeBorder.SYMMETRIC.sourceIndex(-1, 3));
    assertEquals(2, ResizeBorder.SYMMETRIC.sourceIndex(-2, 3));
  }

  @Test
  void replicateIndexingClampsToTheEdges() {
    // MATLAB's min(max(1, j), n) for n = 3 (1-based); returned 0-based
    long[] j = {-5, -1, 0, 1, 2, 3, 4, 9};
    int[] expected = {0, 0, 0, 0, 1, 2, 2, 2};
    for (int i = 0; i < j.length; i++) {
      assertEquals(expected[i], ResizeBorder.REPLICATE.sourceIndex(j[i], 3), "j=" + j[i]);
    }
  }

  /** The x2 case above with clamped indices: same weights, 1-based j = -1, 0, 1, 2 read samples 1, 1, 1, 2. */
  @Test
  void replicateBordersChangeOnlyTheIndicesPastTheEdges() {
    Imresize.Contributions sym = Imresize.contributions(4, 8, 2.0, ResizeKernel.BICUBIC, true);
    Imresize.Contributions rep = Imresize.contributions(4, 8, 2.0, ResizeKernel.BICUBIC, true, ResizeBorder.REPLICATE);
    assertArrayEquals(sym.weights(), rep.weights(), 0.0);
    assertArrayEquals(new int[] {0, 0, 0, 1}, new int[] {rep.index(0, 0), rep.index(0, 1), rep.index(0, 2), rep.index(0, 3)});
    assertArrayEquals(new int[] {2, 3, 3, 3}, new int[] {rep.index(7, 0), rep.index(7, 1), rep.index(7, 2), rep.index(7, 3)});
    for (int o = 2; o < 6; o++) {
      for (int t = 0; t < 4; t++) {
        assertEquals(sym.index(o, t), rep.index(o, t), "output " + o + " lies inside and reads the same samples");
      }
    }
  }

  /**
   * Quartering a 16-sample ramp v(j) = j - 1 (1-based j): output 1 sits at u = 2.5; its 16 taps (0.25 cubic(x/4),
   * the all-zero outer columns dropped) read j = -5..10. Clamping reads v(1) = 0 for every j <= 1; mirroring reads
   * v(2 - j) there.
   */
  @Test
  void quarteringARampReadsTheEdgeSampleForEveryTapPastTheEdge() {
    float[] ramp = new float[16];
    for (int i = 0; i < 16; i++) {
      ramp[i] = i / 15f;
    }
    Image row = Image.of(16, 1, ramp);
    Imresize.Contributions c = Imresize.contributions(16, 4, 0.25, ResizeKernel.BICUBIC, true);
    assertEquals(16, c.taps());
    double clamped = 0;
    double mirrored = 0;
    for (int t = 0; t < 16; t++) {
      int j = -5 + t;
      clamped += c.weight(0, t) * (j <= 1 ? 0 : j - 1) / 15.0;
      mirrored += c.weight(0, t) * (j <= 0 ? -j : j - 1) / 15.0;
    }
    float rep = Imresize.resize(row, 0.25, ResizeKernel.BICUBIC, SampleType.FLOAT, ResizeBorder.REPLICATE).plane(0)[0];
    float sym = Imresize.resize(row, 0.25, ResizeKernel.BICUBIC, SampleType.FLOAT).plane(0)[0];
    assertEquals(clamped, rep, 1e-6);
    assertEquals(mirrored, sym, 1e-6);
    assertTrue(Math.abs(clamped - mirrored) > 1e-3, clamped + " vs " + mirrored);
  }
}
