package io.sr4j.data.pairs;

/** How an LR input is made from an HR image when no LR folder is given. */
public enum LrSynthesis {
  /**
   * MATLAB {@code imresize(modcrop(HR), 1/s, 'bicubic')} on the 8-bit (or 16-bit) RGB image, rounded after each
   * pass: how DIV2K's and the common benchmark LR files are made. LR and HR keep their colour planes.
   */
  RGB8,
  /**
   * The SRCNN release's pipeline: Y of the 8-bit HR image, rounded to 8 bits (MATLAB {@code rgb2ycbcr} on uint8),
   * modcropped, then {@code imresize(Y, 1/s)} in double precision. LR and HR are single-plane Y images; this is
   * how the published bicubic and SRCNN numbers were computed.
   */
  LUMA
}
