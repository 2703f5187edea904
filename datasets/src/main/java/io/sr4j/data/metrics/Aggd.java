package io.sr4j.data.metrics;

import org.apache.commons.math3.special.Gamma;

/**
 * Moment-matching fit of an asymmetric generalised Gaussian distribution (AGGD), as NIQE and BRISQUE use it
 * (Lasmar, Stitou and Berthoumieu 2009; NIQE paper Eq. 7-8).
 *
 * <p>The shape {@code alpha} is searched on the grid {@code 0.2, 0.201, ..., 10.0} (9801 values, the points of
 * NumPy's {@code arange(0.2, 10.001, 0.001)}): the grid point whose ratio {@code Gamma(2/a)^2 / (Gamma(1/a)
 * Gamma(3/a))} is nearest to the normalised sample ratio is taken, the first one on ties. The left and right
 * scales follow from the one-sided root mean squares.
 *
 * <p>Undefined statistics give NaN exactly where NumPy does: with no negative (or no positive) sample the
 * left (right) deviation and scale are NaN, the shape ratio is NaN and, as {@code np.argmin} returns the first
 * NaN, alpha is the first grid value 0.2.
 */
final class Aggd {
  private static final int GRID_SIZE = 9801;
  private static final double GRID_START = 0.2;
  /** NumPy's arange spacing: {@code (start + step) - start}, slightly above 0.001. */
  private static final double GRID_STEP = (GRID_START + 0.001) - GRID_START;
  /** {@code Gamma(2/a)^2 / (Gamma(1/a) Gamma(3/a))} for each grid shape {@code a}. */
  private static final double[] GRID_RATIO = gridRatios();

  private Aggd() {}

  /** Shape {@code alpha} and left/right scales {@code beta} of a fitted AGGD. */
  record Fit(double alpha, double betaLeft, double betaRight) {
    /** The distribution's mean, NIQE Eq. 8: {@code (betaR - betaL) Gamma(2/alpha) / Gamma(1/alpha)}. */
    double mean() {
      return (betaRight - betaLeft) * (Gamma.gamma(2 / alpha) / Gamma.gamma(1 / alpha));
    }
  }

  /** The {@code i}-th grid shape, {@code 0.2 + i * step}, as NumPy's arange computes it. */
  static double gridShape(int i) {
    return GRID_START + i * GRID_STEP;
  }

  /** Fits the first {@code n} values of {@code x}. */
  static Fit estimate(double[] x, int n) {
    double negSquares = 0;
    double posSquares = 0;
    double absSum = 0;
    int negCount = 0;
    int posCount = 0;
    for (int i = 0; i < n; i++) {
      double v = x[i];
      double sq = v * v;
      if (v < 0) {
        negSquares += sq;
        negCount++;
      } else if (v > 0) {
        posSquares += sq;
        posCount++;
      }
      absSum += Math.abs(v);
    }
    // 0.0 / 0 is NaN, as NumPy's mean of an empty selection.
    double leftStd = Math.sqrt(negSquares / negCount);
    double rightStd = Math.sqrt(posSquares / posCount);
    double gammaHat = leftStd / rightStd;
    double meanAbs = absSum / n;
    double rHat = meanAbs * meanAbs / ((negSquares + posSquares) / n);
    double g2 = gammaHat * gammaHat;
    double rHatNorm = rHat * (g2 * gammaHat + 1) * (gammaHat + 1) / ((g2 + 1) * (g2 + 1));

    int best = 0;
    double bestErr = squared(GRID_RATIO[0] - rHatNorm);
    for (int i = 1; i < GRID_SIZE; i++) {
      double err = squared(GRID_RATIO[i] - rHatNorm);
      if (err < bestErr) {
        best = i;
        bestErr = err;
      }
    }
    double alpha = gridShape(best);
    double scale = Math.sqrt(Gamma.gamma(1 / alpha) / Gamma.gamma(3 / alpha));
    return new Fit(alpha, leftStd * scale, rightStd * scale);
  }

  private static double squared(double v) {
    return v * v;
  }

  private static double[] gridRatios() {
    double[] r = new double[GRID_SIZE];
    for (int i = 0; i < GRID_SIZE; i++) {
      double inv = 1 / gridShape(i);
      double g2 = Gamma.gamma(2 * inv);
      r[i] = g2 * g2 / (Gamma.gamma(inv) * Gamma.gamma(3 * inv));
    }
    return r;
  }
}
