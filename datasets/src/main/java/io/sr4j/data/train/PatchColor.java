package io.sr4j.data.train;

import java.util.Locale;

/** Colour planes of training patches. */
public enum PatchColor {
  /** R, G, B of the 8-bit image (gray images give three equal planes). */
  RGB(3),
  /**
   * BT.601 studio-swing Y (MATLAB {@code rgb2ycbcr}) of the 8-bit RGB values, unrounded, in [16/255, 235/255]: the
   * input and target of Y-channel models, as BasicSR's {@code color: y}.
   */
  Y(1);

  /** Planes per patch. */
  public final int channels;

  PatchColor(int channels) {
    this.channels = channels;
  }

  /** The configuration name: {@code rgb} or {@code y}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
