package io.sr4j.data.resize;

import io.sr4j.data.image.Image;

/**
 * MATLAB-compatible {@code imresize}: separable resampling with bicubic, bilinear or nearest kernels,
 * antialiasing when shrinking, MATLAB's output-size rule {@code ceil(in * scale)} and its border rule: "symmetric"
 * by default as MATLAB does today, or the edge replication of its earlier versions ({@link ResizeBorder}).
 *
 * <p>The two 1-D passes run in MATLAB's order: the dimension with the smaller scale first, height first on ties.
 * With {@link SampleType#UINT8} (or UINT16) each pass is rounded and saturated as MATLAB does for integer input;
 * with {@link SampleType#FLOAT} values stay unrounded. Arithmetic is in double precision. Alpha is resampled
 * on its own with the same kernel.
 */
public final class Imresize {
  private Imresize() {}

  /** Per output sample: {@code taps} weights and 0-based input indices, row-major {@code [out][tap]}. */
  public record Contributions(int outLength, int taps, double[] weights, int[] indices) {
    public double weight(int out, int tap) {
      return weights[out * taps + tap];
    }

    public int index(int out, int tap) {
      return indices[out * taps + tap];
    }
  }

  /**
   * {@code imresize(image, scale, kernel)} with the sample arithmetic of the image's bit depth (uint8 for 8-bit,
   * uint16 for 16-bit images), which is what MATLAB does with an image read by {@code imread}.
   */
  public static Image resize(Image image, double scale, ResizeKernel kernel) {
    return resize(image, scale, kernel, SampleType.forBitDepth(image.bitDepth()));
  }

  /** {@code imresize(image, scale, kernel)} with the given sample arithmetic. */
  public static Image resize(Image image, double scale, ResizeKernel kernel, SampleType type) {
    return resize(image, scale, kernel, type, ResizeBorder.SYMMETRIC);
  }

  /** {@code imresize(image, scale, kernel)} with the given sample arithmetic and border rule. */
  public static Image resize(Image image, double scale, ResizeKernel kernel, SampleType type, ResizeBorder border) {
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("resize scale must be a positive number, got " + scale);
    }
    int outW = outputLength(image.width(), scale);
    int outH = outputLength(image.height(), scale);
    return resize(image, scale, scale, outW, outH, kernel, type, border);
  }

  /** {@code imresize(image, [outH outW], kernel)}: scales are {@code out / in} per dimension. */
  public static Image resizeTo(Image image, int outW, int outH, ResizeKernel kernel, SampleType type) {
    return resizeTo(image, outW, outH, kernel, type, ResizeBorder.SYMMETRIC);
  }

  /** {@code imresize(image, [outH outW], kernel)} with the given border rule. */
  public static Image resizeTo(
      Image image, int outW, int outH, ResizeKernel kernel, SampleType type, ResizeBorder border) {
    if (outW <= 0 || outH <= 0) {
      throw new IllegalArgumentException("output size must be positive, got " + outW + "x" + outH);
    }
    return resize(image, (double) outH / image.height(), (double) outW / image.width(), outW, outH, kernel, type,
        border);
  }

  /** MATLAB's output length for a scale factor: {@code ceil(in * scale)}. */
  public static int outputLength(int inLength, double scale) {
    return (int) Math.ceil(inLength * scale);
  }

  private static Image resize(Image image, double scaleY, double scaleX, int outW, int outH, ResizeKernel kernel,
      SampleType type, ResizeBorder border) {
    Contributions rows = contributions(image.height(), outH, scaleY, kernel, kernel.antialiasWhenShrinking(), border);
    Contributions cols = contributions(image.width(), outW, scaleX, kernel, kernel.antialiasWhenShrinking(), border);
    boolean heightFirst = scaleY <= scaleX;
    float[][] planes = new float[image.channels()][];
    for (int c = 0; c < planes.length; c++) {
      planes[c] = resizePlane(image.plane(c), image.width(), image.height(), rows, cols, heightFirst, type);
    }
    float[] alpha = image.hasAlpha()
        ? resizePlane(image.alpha(), image.width(), image.height(), rows, cols, heightFirst, type)
        : null;
    return new Image(outW, outH, planes, alpha, image.bitDepth());
  }

  /**
   * Resizes one {@code w x h} plane of [0,1] values to {@code cols.outLength() x rows.outLength()}. Integer
   * sample types work on code values ({@code v * maxCode}, rounded), as MATLAB does on integer arrays.
   */
  public static float[] resizePlane(
      float[] plane, int w, int h, Contributions rows, Contributions cols, boolean heightFirst, SampleType type) {
    double[] data = new double[plane.length];
    double toCode = type == SampleType.FLOAT ? 1.0 : type.maxCode;
    for (int i = 0; i < plane.length; i++) {
      data[i] = type == SampleType.FLOAT ? plane[i] : Math.round(plane[i] * toCode);
    }
    double[] out;
    if (heightFirst) {
      out = alongWidth(alongHeight(data, w, h, rows, type), w, rows.outLength(), cols, type);
    } else {
      out = alongHeight(alongWidth(data, w, h, cols, type), cols.outLength(), h, rows, type);
    }
    float[] result = new float[out.length];
    for (int i = 0; i < out.length; i++) {
      result[i] = (float) (out[i] / toCode);
    }
    return result;
  }

  private static double[] alongHeight(double[] in, int w, int h, Contributions c, SampleType type) {
    int outH = c.outLength();
    double[] out = new double[w * outH];
    for (int o = 0; o < outH; o++) {
      int rowOut = o * w;
      for (int t = 0; t < c.taps(); t++) {
        double wt = c.weight(o, t);
        int rowIn = c.index(o, t) * w;
        for (int x = 0; x < w; x++) {
          out[rowOut + x] += wt * in[rowIn + x];
        }
      }
    }
    return saturate(out, type);
  }

  private static double[] alongWidth(double[] in, int w, int h, Contributions c, SampleType type) {
    int outW = c.outLength();
    int taps = c.taps();
    double[] out = new double[outW * h];
    for (int y = 0; y < h; y++) {
      int rowIn = y * w;
      int rowOut = y * outW;
      for (int o = 0; o < outW; o++) {
        double sum = 0;
        for (int t = 0; t < taps; t++) {
          sum += c.weights()[o * taps + t] * in[rowIn + c.indices()[o * taps + t]];
        }
        out[rowOut + o] = sum;
      }
    }
    return saturate(out, type);
  }

  private static double[] saturate(double[] values, SampleType type) {
    if (type != SampleType.FLOAT) {
      for (int i = 0; i < values.length; i++) {
        double v = values[i];
        values[i] = v <= 0 ? 0 : v >= type.maxCode ? type.maxCode : Math.round(v);
      }
    }
    return values;
  }

  /** {@link #contributions(int, int, double, ResizeKernel, boolean, ResizeBorder)} with symmetric borders. */
  public static Contributions contributions(
      int inLength, int outLength, double scale, ResizeKernel kernel, boolean antialias) {
    return contributions(inLength, outLength, scale, kernel, antialias, ResizeBorder.SYMMETRIC);
  }

  /**
   * MATLAB's {@code contributions()}: for output sample x (1-based) the input coordinate is
   * {@code u = x / scale + 0.5 * (1 - 1/scale)}; taps start at {@code floor(u - width/2)}, there are
   * {@code ceil(width) + 2} of them, weights are normalised per output sample, indices outside the input are
   * mapped inside by {@code border} and tap columns that are zero for every output are dropped.
   * When shrinking with antialiasing the kernel is stretched by {@code 1/scale}.
   */
  public static Contributions contributions(
      int inLength, int outLength, double scale, ResizeKernel kernel, boolean antialias, ResizeBorder border) {
    boolean stretch = scale < 1 && antialias;
    double kernelWidth = stretch ? kernel.width / scale : kernel.width;
    int p = (int) Math.ceil(kernelWidth) + 2;
    double[] weights = new double[outLength * p];
    int[] indices = new int[outLength * p];
    for (int o = 0; o < outLength; o++) {
      double u = (o + 1) / scale + 0.5 * (1 - 1 / scale);
      double left = Math.floor(u - kernelWidth / 2);
      double sum = 0;
      for (int t = 0; t < p; t++) {
        double j = left + t;
        double wt = stretch ? scale * kernel.at(scale * (u - j)) : kernel.at(u - j);
        weights[o * p + t] = wt;
        indices[o * p + t] = border.sourceIndex((long) j, inLength);
        sum += wt;
      }
      for (int t = 0; t < p; t++) {
        weights[o * p + t] /= sum;
      }
    }
    boolean[] keep = new boolean[p];
    int kept = 0;
    for (int t = 0; t < p; t++) {
      for (int o = 0; o < outLength && !keep[t]; o++) {
        keep[t] = weights[o * p + t] != 0;
      }
      kept += keep[t] ? 1 : 0;
    }
    double[] w2 = new double[outLength * kept];
    int[] i2 = new int[outLength * kept];
    for (int o = 0; o < outLength; o++) {
      int k = 0;
      for (int t = 0; t < p; t++) {
        if (keep[t]) {
          w2[o * kept + k] = weights[o * p + t];
          i2[o * kept + k] = indices[o * p + t];
          k++;
        }
      }
    }
    return new Contributions(outLength, kept, w2, i2);
  }
}
