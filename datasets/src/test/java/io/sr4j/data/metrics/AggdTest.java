package io.sr4j.data.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

class AggdTest {

  /**
   * {@code n} AGGD samples: the left side (probability betaL / (betaL + betaR)) is {@code -betaL * G^(1/alpha)},
   * the right side {@code betaR * G^(1/alpha)}, with {@code G ~ Gamma(1/alpha, 1)}.
   */
  private static double[] aggdSample(double alpha, double betaLeft, double betaRight, int n, long seed) {
    Well19937c rng = new Well19937c(seed);
    GammaDistribution g = new GammaDistribution(rng, 1 / alpha, 1);
    double pLeft = betaLeft / (betaLeft + betaRight);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      double magnitude = Math.pow(g.sample(), 1 / alpha);
      x[i] = rng.nextDouble() < pLeft ? -betaLeft * magnitude : betaRight * magnitude;
    }
    return x;
  }

  @Test
  void recoversShapeAndScalesOfSyntheticSamples() {
    double[][] cases = {{2.0, 1.5, 1.5}, {0.8, 1.0, 2.0}, {3.0, 0.5, 0.25}};
    for (double[] c : cases) {
      double[] x = aggdSample(c[0], c[1], c[2], 200_000, 42);
      Aggd.Fit fit = Aggd.estimate(x, x.length);
      String label = "alpha " + c[0] + " betaL " + c[1] + " betaR " + c[2] + " -> " + fit;
      assertEquals(c[0], fit.alpha(), 0.03 * c[0], label);
      assertEquals(c[1], fit.betaLeft(), 0.02 * c[1], label);
      assertEquals(c[2], fit.betaRight(), 0.02 * c[2], label);
    }
  }

  @Test
  void matchesNumpyScipyTranscriptionOfBasicSr() {
    // Reference numbers: BasicSR's estimate_aggd_param formulas run with numpy 2.4 / scipy 1.17
    // (scipy.special.gamma), printed with repr(); the mean is (beta_r - beta_l) * gamma(2/a) / gamma(1/a).
    double[] x = {-1.3, 0.4, 2.2, -0.05, 0.9, -2.7, 1.1, 0.0, 0.6, -0.8, 3.1, -0.2};
    Aggd.Fit fit = Aggd.estimate(x, x.length);
    assertEquals(Aggd.gridShape(1111), fit.alpha(), 0);
    assertEquals(1.311000000000001, fit.alpha(), 1e-15);
    assertEquals(1.4199219887933143, fit.betaLeft(), 1e-13);
    assertEquals(1.71880179134121, fit.betaRight(), 1e-13);
    assertEquals(0.2193967006561276, fit.mean(), 1e-13);

    // Only the first n values count.
    double[] y = {0.5, -0.25, 4.0, 1.5, -3.0, 0.125, 2.0, -0.75, 99, -99};
    Aggd.Fit fitY = Aggd.estimate(y, 8);
    assertEquals(1.401000000000001, fitY.alpha(), 1e-15);
    assertEquals(1.9582167778571704, fitY.betaLeft(), 1e-13);
    assertEquals(2.319946804338531, fitY.betaRight(), 1e-13);
    assertEquals(0.2510502826222927, fitY.mean(), 1e-13);
  }

  @Test
  void oneSidedSampleGivesFirstGridShapeAndNanLeftScaleLikeNumpy() {
    double[] x = {1.0, 2.0, 0.0, 3.0};
    Aggd.Fit fit = Aggd.estimate(x, x.length);
    assertEquals(0.2, fit.alpha(), 0);
    assertTrue(Double.isNaN(fit.betaLeft()), fit.toString());
    assertEquals(3.584303986753536e-05, fit.betaRight(), 1e-18);
    assertTrue(Double.isNaN(fit.mean()), fit.toString());
  }
}
