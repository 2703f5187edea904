package io.sr4j.data.metrics;

import io.sr4j.data.color.Quantize;
import io.sr4j.data.color.YCbCr;
import io.sr4j.data.image.Image;
import io.sr4j.data.resize.Imresize;
import io.sr4j.data.resize.ResizeKernel;
import io.sr4j.data.resize.SampleType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * NIQE, the Natural Image Quality Evaluator (Mittal, Soundararajan and Bovik, "Making a 'Completely Blind' Image
 * Quality Analyzer", IEEE SPL 2013): a no-reference score, lower is more natural.
 *
 * <p>Computed as BasicSR's {@code calculate_niqe} (which agrees with MATLAB's {@code niqe} to 1e-4):
 * <ol>
 *   <li>The image is quantised to 8-bit codes; RGB becomes BT.601 Y in code units (unrounded, from the codes),
 *       gray is used as it is. {@code cropBorderPx} pixels are cut from every side and the values are rounded
 *       half to even ({@code numpy.round}). The image is then cut at the right and bottom to whole 96x96 blocks.
 *       (BasicSR forms Y in float32: for 92 of the 2^24 RGB colours, whose Y lies within float32 rounding of a
 *       .5 tie, its rounded Y is one code away from the one used here.)
 *   <li>At two scales (the image, then its MATLAB bicubic antialiased {@code imresize} by 0.5 computed on
 *       {@code value / 255} in floating point and multiplied back by 255), MSCN coefficients are formed with the
 *       7x7 Gaussian window and replicated borders: {@code (I - mu) / (sigma + 1)},
 *       {@code sigma = sqrt(|E[I^2] - mu^2|)}.
 *   <li>Each block (96x96 at scale 1, 48x48 at scale 2, same block grid) gives 18 features per scale: the AGGD
 *       shape and mean scale of its coefficients, and for the products with the coefficients shifted (with
 *       wrap-around inside the block) by one pixel right, down, down-right and down-left, the AGGD shape, mean,
 *       left and right scales.
 *   <li>The 36-dimensional block features are fitted by a multivariate Gaussian (NaN-ignoring mean; unbiased
 *       covariance of the blocks without NaN) and compared with the pristine model:
 *       {@code sqrt((mu_p - mu)^T pinv((cov_p + cov) / 2) (mu_p - mu))}.
 * </ol>
 * <p>Precision follows BasicSR where it changes results: the image and the MSCN coefficients are float32 (window
 * sums accumulated in double and stored as float32, then variance, sigma and normalisation in float32
 * arithmetic), and the half-scale image is the float32 {@code imresize} output times 255. The AGGD fits and the
 * Gaussian model are computed in double. This matters: {@code E[I^2] - mu^2} cancels in smooth regions, and
 * with double-precision MSCN one AGGD shape of BasicSR's baboon test image falls on the neighbouring grid point,
 * giving 5.72996 instead of the 5.72956 computed here (BasicSR states 5.7295763, MATLAB 5.72957338).
 *
 * <p>Alpha is ignored. Instances are immutable and thread-safe.
 */
public final class Niqe {
  /** Side of the square blocks, in pixels at the first scale. */
  public static final int BLOCK_PX = 96;
  private static final int FEATURES_PER_SCALE = 18;
  /** Length of the feature vector of one block: 18 features at each of the two scales. */
  static final int FEATURES = 2 * FEATURES_PER_SCALE;
  /** The products of neighbouring coefficients: {@code {dy, dx}} of {@code np.roll} (right, down, diagonals). */
  private static final int[][] SHIFTS = {{0, 1}, {1, 0}, {1, 1}, {1, -1}};
  /** {@code numpy.linalg.pinv}'s default: singular values at most this times the largest count as zero. */
  private static final double PINV_RCOND = 1e-15;
  private static final String RESOURCE = "niqe_pris_params.npz";

  private final double[] muPristine;
  private final double[][] covPristine;
  /** The Gaussian window flipped in both directions (convolution as correlation), row-major {@code k x k}. */
  private final double[] flippedWindow;
  private final int windowPx;

  /**
   * A NIQE model with explicit pristine parameters.
   *
   * @param muPristine mean of the 36 pristine features
   * @param covPristine 36x36 covariance of the pristine features
   * @param gaussianWindow square window with an odd side, used (as a convolution) for the local mean and
   *     variance of the MSCN coefficients
   */
  public Niqe(double[] muPristine, double[][] covPristine, double[][] gaussianWindow) {
    if (muPristine.length != FEATURES) {
      throw new IllegalArgumentException("pristine mean must have " + FEATURES + " values, got " + muPristine.length);
    }
    if (covPristine.length != FEATURES) {
      throw new IllegalArgumentException(
          "pristine covariance must be " + FEATURES + "x" + FEATURES + ", got " + covPristine.length + " rows");
    }
    this.muPristine = muPristine.clone();
    this.covPristine = new double[FEATURES][];
    for (int i = 0; i < FEATURES; i++) {
      if (covPristine[i].length != FEATURES) {
        throw new IllegalArgumentException("pristine covariance row " + i + " has " + covPristine[i].length
            + " values, expected " + FEATURES);
      }
      this.covPristine[i] = covPristine[i].clone();
    }
    int k = gaussianWindow.length;
    if (k % 2 == 0) {
      throw new IllegalArgumentException("the window must be square with an odd side, got " + k + " rows");
    }
    this.windowPx = k;
    this.flippedWindow = new double[k * k];
    for (int a = 0; a < k; a++) {
      if (gaussianWindow[a].length != k) {
        throw new IllegalArgumentException("the window must be square, row " + a + " has "
            + gaussianWindow[a].length + " values, expected " + k);
      }
      for (int b = 0; b < k; b++) {
        flippedWindow[(k - 1 - a) * k + (k - 1 - b)] = gaussianWindow[a][b];
      }
    }
  }

  /** The model of the official NIQE release (BasicSR's {@code niqe_pris_params.npz}, bundled with this module). */
  public static Niqe standard() {
    return Standard.INSTANCE;
  }

  private static final class Standard {
    static final Niqe INSTANCE = load();

    private static Niqe load() {
      try (InputStream in = Niqe.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("resource " + RESOURCE + " is missing next to " + Niqe.class.getName());
        }
        Map<String, Npy.Array> p = Npy.readNpz(in, RESOURCE);
        return new Niqe(
            p.get("mu_pris_param").values(),
            p.get("cov_pris_param").matrix("cov_pris_param"),
            p.get("gaussian_window").matrix("gaussian_window"));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read resource " + RESOURCE, e);
      }
    }
  }

  /**
   * The NIQE score of {@code image} after cutting {@code cropBorderPx} pixels from every side.
   *
   * @throws IllegalArgumentException if the cropped image holds fewer than two whole 96x96 blocks (one block
   *     gives no covariance), or if fewer than two blocks have finite features (flat blocks have none)
   */
  public double score(Image image, int cropBorderPx) {
    if (cropBorderPx < 0) {
      throw new IllegalArgumentException("crop border must be >= 0 pixels, got " + cropBorderPx);
    }
    int w = image.width() - 2 * cropBorderPx;
    int h = image.height() - 2 * cropBorderPx;
    int blocksX = Math.max(w, 0) / BLOCK_PX;
    int blocksY = Math.max(h, 0) / BLOCK_PX;
    if (blocksX * blocksY < 2) {
      throw new IllegalArgumentException("NIQE needs at least two whole " + BLOCK_PX + "x" + BLOCK_PX
          + " blocks (e.g. " + 2 * BLOCK_PX + "x" + BLOCK_PX + " pixels) after cropping, got " + w + "x" + h
          + " from a " + image.width() + "x" + image.height() + " image with a " + cropBorderPx + " px border");
    }
    int cutW = blocksX * BLOCK_PX;
    int cutH = blocksY * BLOCK_PX;
    return scoreCodes(lumaCodes(image, cropBorderPx, cutW, cutH), cutW, cutH);
  }

  /**
   * Rounded Y (RGB) or gray code values in [0, 255] of the {@code cutW x cutH} region starting at
   * ({@code border}, {@code border}), row-major.
   */
  private static float[] lumaCodes(Image image, int border, int cutW, int cutH) {
    float[] out = new float[cutW * cutH];
    float[][] planes = image.planes();
    for (int y = 0; y < cutH; y++) {
      int in = (y + border) * image.width() + border;
      for (int x = 0; x < cutW; x++, in++) {
        double v = image.isGray()
            ? Quantize.toUint8(planes[0][in])
            : YCbCr.lumaCode(
                Quantize.toUint8(planes[0][in]), Quantize.toUint8(planes[1][in]), Quantize.toUint8(planes[2][in]));
        out[y * cutW + x] = (float) Math.rint(v);
      }
    }
    return out;
  }

  /** NIQE of a {@code w x h} plane of code values whose sides are multiples of {@link #BLOCK_PX}. */
  private double scoreCodes(float[] codes, int w, int h) {
    int blocksX = w / BLOCK_PX;
    int blocksY = h / BLOCK_PX;
    double[][] features = new double[blocksX * blocksY][FEATURES];
    blockFeatures(mscn(codes, w, h), w, BLOCK_PX, blocksX, blocksY, features, 0);

    float[] unit = new float[codes.length];
    for (int i = 0; i < codes.length; i++) {
      unit[i] = codes[i] / 255f;
    }
    float[] halfCodes = Imresize.resize(Image.of(w, h, unit), 0.5, ResizeKernel.BICUBIC, SampleType.FLOAT).plane(0);
    for (int i = 0; i < halfCodes.length; i++) {
      halfCodes[i] *= 255f;
    }
    blockFeatures(mscn(halfCodes, w / 2, h / 2), w / 2, BLOCK_PX / 2, blocksX, blocksY, features, FEATURES_PER_SCALE);

    Mvg fit = Mvg.fit(features);
    if (fit.rows() < 2) {
      throw new IllegalArgumentException("NIQE is undefined for this image: only " + fit.rows() + " of "
          + features.length + " " + BLOCK_PX + "x" + BLOCK_PX + " blocks have finite features (at least 2 are needed;"
          + " flat blocks have none)");
    }
    return distance(muPristine, covPristine, fit.mean(), fit.cov());
  }

  /**
   * MSCN coefficients {@code (I - mu) / (sigma + 1)} of a {@code w x h} plane with replicated borders, in
   * BasicSR's float32 arithmetic: window sums in double rounded to float32, everything after in float32.
   */
  private float[] mscn(float[] img, int w, int h) {
    int r = windowPx / 2;
    int pw = w + 2 * r;
    int ph = h + 2 * r;
    float[] padded = new float[pw * ph];
    float[] paddedSq = new float[pw * ph];
    for (int y = 0; y < ph; y++) {
      int sy = Math.min(Math.max(y - r, 0), h - 1);
      for (int x = 0; x < pw; x++) {
        float v = img[sy * w + Math.min(Math.max(x - r, 0), w - 1)];
        padded[y * pw + x] = v;
        paddedSq[y * pw + x] = v * v;
      }
    }
    float[] out = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double sum = 0;
        double sumSq = 0;
        for (int a = 0; a < windowPx; a++) {
          int row = (y + a) * pw + x;
          int wRow = a * windowPx;
          for (int b = 0; b < windowPx; b++) {
            double wt = flippedWindow[wRow + b];
            sum += wt * padded[row + b];
            sumSq += wt * paddedSq[row + b];
          }
        }
        float mu = (float) sum;
        float sigma = (float) Math.sqrt(Math.abs((float) sumSq - mu * mu));
        out[y * w + x] = (img[y * w + x] - mu) / (sigma + 1);
      }
    }
    return out;
  }

  /**
   * Writes the 18 features of every {@code size x size} block of a {@code w}-wide coefficient plane into
   * {@code features[blockIndex][offset..offset+17]}; blocks are numbered column by column (x outer, y inner),
   * the order of BasicSR.
   */
  private static void blockFeatures(
      float[] coeffs, int w, int size, int blocksX, int blocksY, double[][] features, int offset) {
    int n = size * size;
    double[] block = new double[n];
    double[] product = new double[n];
    for (int bx = 0; bx < blocksX; bx++) {
      for (int by = 0; by < blocksY; by++) {
        for (int y = 0; y < size; y++) {
          int in = (by * size + y) * w + bx * size;
          for (int x = 0; x < size; x++) {
            block[y * size + x] = coeffs[in + x];
          }
        }
        double[] f = features[bx * blocksY + by];
        int at = offset;
        Aggd.Fit fit = Aggd.estimate(block, n);
        f[at++] = fit.alpha();
        f[at++] = (fit.betaLeft() + fit.betaRight()) / 2;
        for (int[] shift : SHIFTS) {
          for (int y = 0; y < size; y++) {
            int sy = Math.floorMod(y - shift[0], size);
            for (int x = 0; x < size; x++) {
              product[y * size + x] = block[y * size + x] * block[sy * size + Math.floorMod(x - shift[1], size)];
            }
          }
          Aggd.Fit p = Aggd.estimate(product, n);
          f[at++] = p.alpha();
          f[at++] = p.mean();
          f[at++] = p.betaLeft();
          f[at++] = p.betaRight();
        }
      }
    }
  }

  /** A multivariate Gaussian fitted to feature rows; {@code rows} is how many rows without NaN the cov used. */
  record Mvg(double[] mean, double[][] cov, int rows) {
    /** NaN-ignoring column means, and the unbiased covariance of the rows that hold no NaN. */
    static Mvg fit(double[][] features) {
      int d = features[0].length;
      double[] mean = new double[d];
      int[] counts = new int[d];
      double[] validMean = new double[d];
      int valid = 0;
      for (double[] row : features) {
        boolean finite = true;
        for (int j = 0; j < d; j++) {
          if (Double.isNaN(row[j])) {
            finite = false;
          } else {
            mean[j] += row[j];
            counts[j]++;
          }
        }
        if (finite) {
          valid++;
          for (int j = 0; j < d; j++) {
            validMean[j] += row[j];
          }
        }
      }
      for (int j = 0; j < d; j++) {
        mean[j] /= counts[j];
        validMean[j] /= valid;
      }
      double[][] cov = new double[d][d];
      double[] dev = new double[d];
      for (double[] row : features) {
        if (hasNaN(row)) {
          continue;
        }
        for (int j = 0; j < d; j++) {
          dev[j] = row[j] - validMean[j];
        }
        for (int i = 0; i < d; i++) {
          for (int j = 0; j < d; j++) {
            cov[i][j] += dev[i] * dev[j];
          }
        }
      }
      for (double[] c : cov) {
        for (int j = 0; j < d; j++) {
          c[j] /= valid - 1;
        }
      }
      return new Mvg(mean, cov, valid);
    }

    private static boolean hasNaN(double[] row) {
      for (double v : row) {
        if (Double.isNaN(v)) {
          return true;
        }
      }
      return false;
    }
  }

  /** {@code sqrt((muA - muB)^T pinv((covA + covB) / 2) (muA - muB))}, NIQE Eq. 10. */
  static double distance(double[] muA, double[][] covA, double[] muB, double[][] covB) {
    int d = muA.length;
    double[][] avg = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        avg[i][j] = (covA[i][j] + covB[i][j]) / 2;
      }
    }
    double[][] inv = pinv(avg);
    double[] diff = new double[d];
    for (int i = 0; i < d; i++) {
      diff[i] = muA[i] - muB[i];
    }
    double q = 0;
    for (int i = 0; i < d; i++) {
      double row = 0;
      for (int j = 0; j < d; j++) {
        row += inv[i][j] * diff[j];
      }
      q += diff[i] * row;
    }
    return Math.sqrt(q);
  }

  /** Moore-Penrose pseudo-inverse by SVD, dropping singular values at most {@code 1e-15} times the largest. */
  static double[][] pinv(double[][] a) {
    SingularValueDecomposition svd = new SingularValueDecomposition(new Array2DRowRealMatrix(a, false));
    double[] s = svd.getSingularValues();
    double cutoff = PINV_RCOND * s[0];
    RealMatrix u = svd.getU();
    RealMatrix v = svd.getV();
    int rows = a.length;
    int cols = a[0].length;
    double[][] out = new double[cols][rows];
    for (int k = 0; k < s.length; k++) {
      if (s[k] <= cutoff) {
        continue;
      }
      double inv = 1 / s[k];
      for (int i = 0; i < cols; i++) {
        double vik = v.getEntry(i, k) * inv;
        for (int j = 0; j < rows; j++) {
          out[i][j] += vik * u.getEntry(j, k);
        }
      }
    }
    return out;
  }
}
