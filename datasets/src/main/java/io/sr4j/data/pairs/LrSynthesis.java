package io.sr4j.data.pairs;

import io.sr4j.data.resize.ResizeBorder;

/** How an LR input is made from an HR image when no LR folder is given. */
public enum LrSynthesis {
  /**
   * MATLAB {@code imresize(modcrop(HR), 1/s, 'bicubic')} on the 8-bit (or 16-bit) RGB image, rounded after each
   * pass: how DIV2K's and the common benchmark LR files are made. LR and HR keep their colour planes.
   */
  RGB8(ResizeBorder.SYMMETRIC),
  /**
   * The SRCNN release's pipeline: Y of the 8-bit HR image, rounded to 8 bits (MATLAB {@code rgb2ycbcr} on uint8),
   * modcropped, then {@code imresize(Y, 1/s)} unrounded, with the edge replication of the MATLAB {@code imresize}
   * of its time. LR and HR are single-plane Y images; this is how the published bicubic and SRCNN numbers were
   * computed.
   */
  LUMA(ResizeBorder.REPLICATE);

  private final ResizeBorder resizeBorder;

  LrSynthesis(ResizeBorder resizeBorder) {
    this.resizeBorder = resizeBorder;
  }

  /**
   * The border rule of this pipeline's {@code imresize}: the shrinking that makes the LR image and every later
   * resize of it (bicubic upscaling, pre-upsampling for SRCNN) use it, as the pipeline's MATLAB did.
   */
  public ResizeBorder resizeBorder() {
    return resizeBorder;
  }
}
