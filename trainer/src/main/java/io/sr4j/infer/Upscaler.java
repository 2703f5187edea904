package io.sr4j.infer;

import io.sr4j.data.image.Image;
import io.sr4j.data.resize.ResizeBorder;

/** Anything that turns an LR image into an SR image {@link #scale()} times larger: a network or an interpolator. */
public interface Upscaler {
  /** Short name for tables and file metadata, e.g. "bicubic" or a checkpoint's file name. */
  String name();

  int scale();

  /**
   * True when the model works on luminance alone (classical interpolation, SRCNN), so it can be evaluated in the
   * SRCNN release's Y-only pipeline; false for RGB networks.
   */
  boolean worksOnLuma();

  /**
   * Upscales {@code lr} (gray or RGB, optional alpha, values in [0,1]) to {@code scale * size}; the result has the
   * same colour planes, alpha and bit depth as the input. Values are not quantised.
   */
  Image upscale(Image lr);

  /**
   * The same upscaler with its {@code imresize} calls (interpolation, pre-upsampling, chroma) reading past the image
   * edges by {@code border}; an evaluation pipeline passes the rule of the MATLAB it reproduces
   * ({@code LrSynthesis.resizeBorder()}). The default of every upscaler is {@link ResizeBorder#SYMMETRIC}.
   */
  Upscaler withResizeBorder(ResizeBorder border);
}
