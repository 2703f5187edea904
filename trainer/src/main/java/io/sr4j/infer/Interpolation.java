package io.sr4j.infer;

import io.sr4j.data.image.Image;
import io.sr4j.data.resize.Imresize;
import io.sr4j.data.resize.ResizeBorder;
import io.sr4j.data.resize.ResizeKernel;
import io.sr4j.data.resize.SampleType;

/**
 * Classical upscaling with MATLAB {@code imresize} (bicubic, bilinear or nearest), in double precision: the
 * baselines of every SR table. Colour planes and alpha are resampled independently; {@code border} says how
 * samples past the edges are read.
 */
public record Interpolation(ResizeKernel kernel, int scale, ResizeBorder border) implements Upscaler {
  /** With MATLAB's current (symmetric) border rule. */
  public Interpolation(ResizeKernel kernel, int scale) {
    this(kernel, scale, ResizeBorder.SYMMETRIC);
  }

  @Override
  public String name() {
    return kernel.configName();
  }

  @Override
  public boolean worksOnLuma() {
    return true;
  }

  @Override
  public Image upscale(Image lr) {
    return Imresize.resize(lr, scale, kernel, SampleType.FLOAT, border);
  }

  @Override
  public Interpolation withResizeBorder(ResizeBorder newBorder) {
    return new Interpolation(kernel, scale, newBorder);
  }
}
