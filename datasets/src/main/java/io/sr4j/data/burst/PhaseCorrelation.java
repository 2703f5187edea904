package io.sr4j.data.burst;

import org.apache.commons.math3.complex.Complex;
import org.apache.commons.math3.transform.DftNormalization;
import org.apache.commons.math3.transform.FastFourierTransformer;
import org.apache.commons.math3.transform.TransformType;

/**
 * Global translation between two frames by phase correlation (Kuglin and Hines): on the largest centred
 * power-of-two square (at most 256 pixels, Hann-windowed) the normalised cross-power spectrum is transformed back,
 * its peak gives the integer shift and a parabola through the peak and its neighbours the sub-pixel part.
 * FFTs are Apache Commons Math's.
 */
public final class PhaseCorrelation {
  private static final int MAX_SIDE_PX = 256;
  private static final FastFourierTransformer FFT = new FastFourierTransformer(DftNormalization.STANDARD);

  private PhaseCorrelation() {}

  /** The translation of {@code frame} relative to {@code reference} (see {@link Flow}), in pixels. */
  public static RigidMotion shift(Plane reference, Plane frame) {
    int side = Integer.highestOneBit(Math.min(Math.min(reference.width(), reference.height()), MAX_SIDE_PX));
    if (side < 8) {
      return RigidMotion.translation(0, 0);
    }
    int x0 = (reference.width() - side) / 2;
    int y0 = (reference.height() - side) / 2;
    Complex[][] a = spectrum(reference, x0, y0, side);
    Complex[][] b = spectrum(frame, x0, y0, side);
    Complex[][] cross = new Complex[side][side];
    for (int v = 0; v < side; v++) {
      for (int u = 0; u < side; u++) {
        Complex c = a[v][u].multiply(b[v][u].conjugate());
        double m = c.abs();
        cross[v][u] = m < 1e-20 ? Complex.ZERO : c.divide(m);
      }
    }
    double[][] surface = realPart(transform2d(cross, TransformType.INVERSE));
    int px = 0;
    int py = 0;
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        if (surface[y][x] > surface[py][px]) {
          px = x;
          py = y;
        }
      }
    }
    double subX = parabolaPeak(surface[py][(px - 1 + side) % side], surface[py][px], surface[py][(px + 1) % side]);
    double subY = parabolaPeak(surface[(py - 1 + side) % side][px], surface[py][px], surface[(py + 1) % side][px]);
    // frame(x) = reference(x - d) puts the correlation peak at -d (modulo the side)
    return RigidMotion.translation(-wrap(px + subX, side), -wrap(py + subY, side));
  }

  private static double wrap(double p, int side) {
    return p > side / 2.0 ? p - side : p;
  }

  private static double parabolaPeak(double left, double centre, double right) {
    double denominator = left - 2 * centre + right;
    if (denominator >= 0) {
      return 0;
    }
    double offset = 0.5 * (left - right) / denominator;
    return Math.max(-0.5, Math.min(0.5, offset));
  }

  private static Complex[][] spectrum(Plane p, int x0, int y0, int side) {
    double[] hann = new double[side];
    for (int i = 0; i < side; i++) {
      hann[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / side);
    }
    double mean = 0;
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        mean += p.at(x0 + x, y0 + y);
      }
    }
    mean /= (double) side * side;
    Complex[][] c = new Complex[side][side];
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        c[y][x] = new Complex((p.at(x0 + x, y0 + y) - mean) * hann[x] * hann[y], 0);
      }
    }
    return transform2d(c, TransformType.FORWARD);
  }

  private static Complex[][] transform2d(Complex[][] data, TransformType type) {
    int n = data.length;
    Complex[][] rows = new Complex[n][];
    for (int y = 0; y < n; y++) {
      rows[y] = FFT.transform(data[y], type);
    }
    Complex[] column = new Complex[n];
    for (int x = 0; x < n; x++) {
      for (int y = 0; y < n; y++) {
        column[y] = rows[y][x];
      }
      Complex[] out = FFT.transform(column, type);
      for (int y = 0; y < n; y++) {
        rows[y][x] = out[y];
      }
    }
    return rows;
  }

  private static double[][] realPart(Complex[][] data) {
    double[][] out = new double[data.length][data.length];
    for (int y = 0; y < data.length; y++) {
      for (int x = 0; x < data.length; x++) {
        out[y][x] = data[y][x].getReal();
      }
    }
    return out;
  }
}
