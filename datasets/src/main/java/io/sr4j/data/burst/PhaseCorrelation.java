package io.sr4j.data.burst;

import org.apache.commons.math3.complex.Complex;
import org.apache.commons.math3.transform.DftNormalization;
import org.apache.commons.math3.transform.FastFourierTransformer;
import org.apache.commons.math3.transform.TransformType;

/**
 * Global translation between two frames by phase correlation (Kuglin and Hines): on the largest centred
 * power-of-two square (at most 256 pixels, Hann-windowed) the normalised cross-power spectrum is transformed back
 * and its peak gives the integer shift; Lucas-Kanade iterations on the whole frame then find the sub-pixel part
 * (peak interpolation of a windowed correlation is biased towards integers).
 * FFTs are Apache Commons Math's.
 */
public final class PhaseCorrelation {
  private static final int MAX_SIDE_PX = 256;
  private static final int LK_ITERATIONS = 8;
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
    // frame(x) = reference(x - d) puts the correlation peak at -d (modulo the side)
    return refine(reference, frame, -wrap(px, side), -wrap(py, side));
  }

  /**
   * Lucas-Kanade (translation, Gauss-Newton on the whole frame) from an integer start; pixels displaced out of
   * the frame are left out. Returns the start if the system is singular or the result moves more than a pixel.
   */
  private static RigidMotion refine(Plane ref, Plane frame, double startX, double startY) {
    int w = ref.width();
    int h = ref.height();
    double fx = startX;
    double fy = startY;
    for (int it = 0; it < LK_ITERATIONS; it++) {
      double hxx = 0;
      double hxy = 0;
      double hyy = 0;
      double bx = 0;
      double by = 0;
      for (int y = 1; y < h - 1; y++) {
        double qy = y + fy;
        if (qy < 0 || qy > h - 1) {
          continue;
        }
        for (int x = 1; x < w - 1; x++) {
          double qx = x + fx;
          if (qx < 0 || qx > w - 1) {
            continue;
          }
          double gx = 0.5 * (ref.at(x + 1, y) - ref.at(x - 1, y));
          double gy = 0.5 * (ref.at(x, y + 1) - ref.at(x, y - 1));
          double e = frame.bilinear(qx, qy) - ref.at(x, y);
          hxx += gx * gx;
          hxy += gx * gy;
          hyy += gy * gy;
          bx += gx * e;
          by += gy * e;
        }
      }
      double det = hxx * hyy - hxy * hxy;
      if (Math.abs(det) < 1e-10) {
        return RigidMotion.translation(startX, startY);
      }
      fx -= (hyy * bx - hxy * by) / det;
      fy -= (hxx * by - hxy * bx) / det;
    }
    return Math.hypot(fx - startX, fy - startY) <= 1 ? RigidMotion.translation(fx, fy)
        : RigidMotion.translation(startX, startY);
  }

  private static double wrap(double p, int side) {
    return p > side / 2.0 ? p - side : p;
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
