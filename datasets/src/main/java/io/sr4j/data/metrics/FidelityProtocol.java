package io.sr4j.data.metrics;

import io.sr4j.data.color.Quantize;
import io.sr4j.data.color.YCbCr;
import io.sr4j.data.image.Image;

/**
 * PSNR and SSIM measured the way SR papers measure them: both images are clamped and rounded to 8-bit code
 * values, converted to BT.601 Y (unrounded, from the 8-bit RGB values) when the channel is {@link MetricChannel#Y},
 * and {@code borderPx} pixels are cropped from every side. Gray images are measured as they are.
 */
public record FidelityProtocol(MetricChannel channel, int borderPx) {
  private static final double PEAK = 255.0;

  public FidelityProtocol {
    if (borderPx < 0) {
      throw new IllegalArgumentException("border must be >= 0 pixels, got " + borderPx);
    }
  }

  /** Scores {@code restored} against {@code reference}; both must have the same size and number of channels. */
  public QualityScore measure(Image restored, Image reference) {
    check(restored, reference);
    double[][] a = measuredPlanes(restored);
    double[][] b = measuredPlanes(reference);
    int w = restored.width() - 2 * borderPx;
    int h = restored.height() - 2 * borderPx;
    return new QualityScore(Psnr.of(a, b, PEAK), Ssim.of(a, b, w, h, PEAK));
  }

  private void check(Image restored, Image reference) {
    if (restored.width() != reference.width() || restored.height() != reference.height()) {
      throw new IllegalArgumentException("size mismatch: " + restored.width() + "x" + restored.height()
          + " against reference " + reference.width() + "x" + reference.height());
    }
    if (restored.channels() != reference.channels()) {
      throw new IllegalArgumentException("channel mismatch: " + restored.channels() + " against reference "
          + reference.channels());
    }
    int w = restored.width() - 2 * borderPx;
    int h = restored.height() - 2 * borderPx;
    if (w <= 0 || h <= 0) {
      throw new IllegalArgumentException("border " + borderPx + " leaves nothing of a "
          + restored.width() + "x" + restored.height() + " image");
    }
  }

  /** {@link ShiftTolerantPsnr} of {@code restored} against {@code reference} on this protocol's planes. */
  public double shiftTolerantPsnr(Image restored, Image reference, int maxShiftPx) {
    check(restored, reference);
    return ShiftTolerantPsnr.of(measuredPlanes(restored), measuredPlanes(reference), restored.width() - 2 * borderPx,
        restored.height() - 2 * borderPx, maxShiftPx, PEAK);
  }

  /** {@link Sharpness#ratio} of {@code restored} over {@code reference} on this protocol's planes. */
  public double sharpnessRatio(Image restored, Image reference) {
    check(restored, reference);
    return Sharpness.ratio(measuredPlanes(restored), measuredPlanes(reference), restored.width() - 2 * borderPx,
        restored.height() - 2 * borderPx);
  }

  /** The cropped planes, in code units [0,255], that the metrics compare. */
  public double[][] measuredPlanes(Image image) {
    double[][] codes = new double[image.channels()][];
    for (int c = 0; c < codes.length; c++) {
      codes[c] = Quantize.toUint8Values(image.plane(c));
    }
    if (channel == MetricChannel.Y && codes.length == 3) {
      double[] y = new double[codes[0].length];
      for (int i = 0; i < y.length; i++) {
        y[i] = YCbCr.lumaCode(codes[0][i], codes[1][i], codes[2][i]);
      }
      codes = new double[][] {y};
    }
    double[][] out = new double[codes.length][];
    for (int c = 0; c < codes.length; c++) {
      out[c] = crop(codes[c], image.width(), image.height());
    }
    return out;
  }

  private double[] crop(double[] plane, int w, int h) {
    int cw = w - 2 * borderPx;
    int ch = h - 2 * borderPx;
    double[] out = new double[cw * ch];
    for (int y = 0; y < ch; y++) {
      System.arraycopy(plane, (y + borderPx) * w + borderPx, out, y * cw, cw);
    }
    return out;
  }
}
