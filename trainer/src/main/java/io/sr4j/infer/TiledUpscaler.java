package io.sr4j.infer;

import io.sr4j.data.image.Image;
import io.sr4j.data.resize.ResizeBorder;
import io.sr4j.nn.MemoryReclaim;
import java.util.function.IntConsumer;

/**
 * Upscales large images tile by tile: the LR image is cut into {@code tilePx} squares, each extended by
 * {@code padPx} of real context on every side (less at the image border), upscaled on its own, and the centre of
 * each result pasted into the output. Only one tile's activations exist at a time. With padding at least the
 * network's receptive radius the result equals whole-image inference.
 */
public final class TiledUpscaler implements Upscaler {
  private final Upscaler inner;
  private final int tilePx;
  private final int padPx;
  private final IntConsumer tileDone;

  /** {@code tileDone} is told the number of finished tiles after each one (for progress displays). */
  public TiledUpscaler(Upscaler inner, int tilePx, int padPx, IntConsumer tileDone) {
    if (tilePx < 1 || padPx < 0) {
      throw new IllegalArgumentException("tile size must be >= 1 and padding >= 0, got " + tilePx + " and " + padPx);
    }
    this.inner = inner;
    this.tilePx = tilePx;
    this.padPx = padPx;
    this.tileDone = tileDone;
  }

  /** Number of {@code tilePx} tiles of a {@code w x h} image. */
  public static int tileCount(int w, int h, int tilePx) {
    return ((w + tilePx - 1) / tilePx) * ((h + tilePx - 1) / tilePx);
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public int scale() {
    return inner.scale();
  }

  @Override
  public boolean worksOnLuma() {
    return inner.worksOnLuma();
  }

  @Override
  public TiledUpscaler withResizeBorder(ResizeBorder border) {
    return new TiledUpscaler(inner.withResizeBorder(border), tilePx, padPx, tileDone);
  }

  @Override
  public Image upscale(Image lr) {
    int s = inner.scale();
    int w = lr.width();
    int h = lr.height();
    float[][] planes = null;
    float[] alpha = null;
    int done = 0;
    for (int ty = 0; ty < h; ty += tilePx) {
      for (int tx = 0; tx < w; tx += tilePx) {
        int tw = Math.min(tilePx, w - tx);
        int th = Math.min(tilePx, h - ty);
        int x0 = Math.max(0, tx - padPx);
        int y0 = Math.max(0, ty - padPx);
        int x1 = Math.min(w, tx + tw + padPx);
        int y1 = Math.min(h, ty + th + padPx);
        Image out = inner.upscale(lr.crop(x0, y0, x1 - x0, y1 - y0));
        if (planes == null) {
          planes = new float[out.channels()][w * s * h * s];
          alpha = out.hasAlpha() ? new float[w * s * h * s] : null;
        }
        int ow = out.width();
        for (int y = 0; y < th * s; y++) {
          int srcRow = ((ty - y0) * s + y) * ow + (tx - x0) * s;
          int dstRow = (ty * s + y) * (w * s) + tx * s;
          for (int c = 0; c < planes.length; c++) {
            System.arraycopy(out.plane(c), srcRow, planes[c], dstRow, tw * s);
          }
          if (alpha != null) {
            System.arraycopy(out.alpha(), srcRow, alpha, dstRow, tw * s);
          }
        }
        MemoryReclaim.afterStep();
        tileDone.accept(++done);
      }
    }
    return new Image(w * s, h * s, planes, alpha, lr.bitDepth());
  }
}
