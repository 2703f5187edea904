package io.sr4j.data.color;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sr4j.data.image.Image;
import org.junit.jupiter.api.Test;

class YCbCrTest {
  private static Image rgb(float r, float g, float b) {
    return Image.of(1, 1, new float[] {r}, new float[] {g}, new float[] {b});
  }

  /** MATLAB: rgb2ycbcr(uint8([255 0 0])) = [81 90 240], white = [235 128 128], black = [16 128 128]. */
  @Test
  void knownValuesOfMatlabRgb2ycbcr() {
    float[][] red = YCbCr.toYCbCr(rgb(1, 0, 0));
    assertEquals(81.481, red[0][0] * 255.0, 1e-4);
    assertEquals(90.203, red[1][0] * 255.0, 1e-4);
    assertEquals(240.0, red[2][0] * 255.0, 1e-4);
    float[][] white = YCbCr.toYCbCr(rgb(1, 1, 1));
    assertEquals(235.0, white[0][0] * 255.0, 1e-4);
    assertEquals(128.0, white[1][0] * 255.0, 1e-4);
    assertEquals(128.0, white[2][0] * 255.0, 1e-4);
    float[][] black = YCbCr.toYCbCr(rgb(0, 0, 0));
    assertEquals(16.0, black[0][0] * 255.0, 1e-4);
    float[][] blue = YCbCr.toYCbCr(rgb(0, 0, 1));
    assertEquals(16 + 24.966, blue[0][0] * 255.0, 1e-4);
    assertEquals(240.0, blue[1][0] * 255.0, 1e-4);
    assertEquals(128 - 18.214, blue[2][0] * 255.0, 1e-4);
  }

  @Test
  void lumaCodeIsTheStudioSwingFormulaOn8BitCodes() {
    // Y = 16 + (65.481 R + 128.553 G + 24.966 B) / 255 for R, G, B in [0, 255]
    assertEquals(16 + (65.481 * 10 + 128.553 * 200 + 24.966 * 30) / 255.0, YCbCr.lumaCode(10, 200, 30), 1e-12);
    assertEquals(235.0, YCbCr.lumaCode(255, 255, 255), 1e-12);
  }

  /**
   * MATLAB rgb2ycbcr on uint8 rounds Y = (1/255) * (65.481 R + 128.553 G + 24.966 B) + 16 computed in double:
   * (61, 39, 12) and (146, 124, 97) are exact ties (52.5 and 125.5) that come out a hair below and round down,
   * where 16 + (65.481 R + ...) / 255 lands on the tie and rounds up.
   */
  @Test
  void lumaUint8RoundsLikeMatlabRgb2ycbcr() {
    Image ties = Image.of(3, 1, new float[] {61 / 255f, 146 / 255f, 1f}, new float[] {39 / 255f, 124 / 255f, 0f},
        new float[] {12 / 255f, 97 / 255f, 0f});
    float[] y = YCbCr.lumaUint8(ties);
    assertEquals(52, Math.round(y[0] * 255.0));
    assertEquals(125, Math.round(y[1] * 255.0));
    assertEquals(81, Math.round(y[2] * 255.0), "red: 81.481");
    assertEquals(53, Math.round(YCbCr.lumaCode(61, 39, 12)), "the unrounded metric formula sits on the tie");
    float[] gray = {0.2f, 200 / 255f};
    assertEquals(51 / 255f, YCbCr.lumaUint8(Image.of(2, 1, gray))[0]);
    assertEquals(200 / 255f, YCbCr.lumaUint8(Image.of(2, 1, gray))[1]);
  }

  @Test
  void inverseRestoresRgb() {
    Image img = Image.of(3, 1, new float[] {0.1f, 0.5f, 0.9f}, new float[] {0.7f, 0.2f, 0.4f}, new float[] {0.3f, 0.8f, 0.0f});
    float[][] ycc = YCbCr.toYCbCr(img);
    float[][] back = YCbCr.toRgb(ycc[0], ycc[1], ycc[2]);
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < 3; i++) {
        assertEquals(img.plane(c)[i], back[c][i], 2e-6);
      }
    }
  }

  /** MATLAB ycbcr2rgb([16 128 128]/255) = black and ([235 128 128]/255) = white. */
  @Test
  void inverseOfReferenceLevels() {
    float[][] black = YCbCr.toRgb(new float[] {16 / 255f}, new float[] {128 / 255f}, new float[] {128 / 255f});
    float[][] white = YCbCr.toRgb(new float[] {235 / 255f}, new float[] {128 / 255f}, new float[] {128 / 255f});
    for (int c = 0; c < 3; c++) {
      assertEquals(0.0, black[c][0], 1e-6);
      assertEquals(1.0, white[c][0], 1e-6);
    }
  }

  @Test
  void grayImagesAreTheirOwnLuma() {
    float[] p = {0.25f, 0.75f};
    Image gray = Image.of(2, 1, p);
    assertEquals(p, YCbCr.luma(gray));
  }

  @Test
  void quantisationRoundsHalfAwayFromZeroAndSaturates() {
    assertEquals(0, Quantize.toUint8(-0.2f));
    assertEquals(255, Quantize.toUint8(1.7f));
    assertEquals(128, Quantize.toUint8(127.5f / 255f + 1e-7f));
    assertEquals(127, Quantize.toUint8(127.4f / 255f));
    assertEquals(0, Quantize.toUint8(Float.NaN));
    for (int k = 0; k <= 255; k++) {
      assertEquals(k, Quantize.toUint8(k / 255f), "8-bit code " + k + " survives the float round trip");
    }
    assertEquals(65535, Quantize.toCode(1f, 65535));
  }
}
