package io.sr4j.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.ToDoubleFunction;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Central finite differences against an analytic (or autodiff) gradient, in double precision. */
final class FiniteDifferences {
  private FiniteDifferences() {}

  /**
   * Checks {@code analytic} = df/dx at {@code points} elements of {@code x} spread evenly (all when fewer), with step
   * 1e-6 and tolerance {@code tol * max(1, |numeric|)}; {@code x} must be double and is restored afterwards.
   */
  static void check(INDArray x, INDArray analytic, ToDoubleFunction<INDArray> f, int points, double tol, String what) {
    double h = 1e-6;
    long stride = Math.max(1, x.length() / points);
    int checked = 0;
    for (long i = 0; i < x.length(); i += stride) {
      double old = x.getDouble(i);
      x.putScalar(i, old + h);
      double up = f.applyAsDouble(x);
      x.putScalar(i, old - h);
      double down = f.applyAsDouble(x);
      x.putScalar(i, old);
      double numeric = (up - down) / (2 * h);
      assertEquals(numeric, analytic.getDouble(i), tol * Math.max(1, Math.abs(numeric)), what + " element " + i);
      checked++;
    }
    assertEquals((x.length() + stride - 1) / stride, checked, what + ": elements checked");
  }

  /** {@link #check} of a loss term's gradient with respect to its prediction. */
  static void check(LossTerm term, INDArray sr, INDArray hr, int points, double tol) {
    check(sr, term.compute(sr, hr).gradient(), x -> term.compute(x, hr).value(), points, tol, term.name());
  }
}
