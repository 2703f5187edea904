package io.sr4j.infer;

import io.sr4j.data.image.Image;
import io.sr4j.data.resize.ResizeBorder;
import io.sr4j.data.image.ImageStreams;
import java.util.function.IntConsumer;

/**
 * Upscales large images tile by tile: the LR image is cut into {@code tilePx} squares, each extended by
 * {@code padPx} of real context on every side (less at the image border), upscaled on its own, and the centre of
 * each result pasted into the output. Only one tile's activations exist at a time (a network frees them after
 * each tile: see {@link NetworkUpscaler}). With padding at least the
 * network's receptive radius the result equals whole-image inference.
 *
 * <p>{@link #stream} works a band of tiles at a time: it holds the LR rows of one band ({@code tilePx + 2 padPx}
 * rows) and the output rows of one band ({@code tilePx * scale} rows, 2 bytes per sample in a PNG writer), so
 * memory grows with the image width and the tile size, never with the image height.
 */
public final class TiledUpscaler implements Upscaler {
  /** Largest tile side and padding accepted, in LR pixels. */
  public static final int MAX_TILE_PX = 1 << 15;

  private final Upscaler inner;
  private final int tilePx;
  private final int padPx;
  private final IntConsumer tileDone;

  /** {@code tileDone} is told the number of finished tiles after each one (for progress displays). */
  public TiledUpscaler(Upscaler inner, int tilePx, int padPx, IntConsumer tileDone) {
    if (tilePx < 1 || tilePx > MAX_TILE_PX || padPx < 0 || padPx > MAX_TILE_PX) {
      throw new IllegalArgumentException("tile size must be 1 to " + MAX_TILE_PX + " and padding 0 to " + MAX_TILE_PX
          + ", got " + tilePx + " and " + padPx);
    }
    this.inner = inner;
    this.tilePx = tilePx;
    this.padPx = padPx;
    this.tileDone = tileDone;
  }

  /**
   * A lower bound of the heap {@link #stream} needs for a {@code w x h} image of {@code samples} samples per pixel:
   * the float LR rows of one band and the 2-byte output rows of one band (tiles and network activations come on top).
   */
  public static long bandHeapBytes(int w, int h, int samples, int scale, int tilePx, int padPx) {
    long lrRows = Math.min(h, (long) tilePx + 2L * padPx);
    long outRows = Math.min(h, tilePx) * (long) scale;
    return lrRows * w * samples * Float.BYTES + outRows * w * scale * samples * Character.BYTES;
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
    ImageStreams.ImageAssembler out = new ImageStreams.ImageAssembler(lr.width() * scale(), lr.height() * scale());
    stream(ImageStreams.reader(lr), out);
    return out.image();
  }

  /** Upscales the image {@code in} delivers into {@code out}, one band of tiles at a time (see the class notes). */
  public void stream(ImageStreams.RowReader in, ImageStreams.BlockWriter out) {
    int s = inner.scale();
    int w = in.width();
    int h = in.height();
    Image window = null; // LR rows [windowY0, windowY0 + window.height()), full width
    int windowY0 = 0;
    int done = 0;
    for (int ty = 0; ty < h; ty += tilePx) {
      int th = Math.min(tilePx, h - ty);
      int y0 = Math.max(0, ty - padPx);
      int y1 = Math.min(h, ty + th + padPx);
      window = slide(window, windowY0, y0, y1, in);
      windowY0 = y0;
      for (int tx = 0; tx < w; tx += tilePx) {
        int tw = Math.min(tilePx, w - tx);
        int x0 = Math.max(0, tx - padPx);
        int x1 = Math.min(w, tx + tw + padPx);
        Image sr = inner.upscale(window.crop(x0, 0, x1 - x0, y1 - y0));
        out.put(sr.crop((tx - x0) * s, (ty - y0) * s, tw * s, th * s), tx * s, ty * s);
        tileDone.accept(++done);
      }
    }
  }

  /** The LR rows [y0, y1): the rows of {@code window} (from {@code windowY0}) still needed, then new ones. */
  private static Image slide(Image window, int windowY0, int y0, int y1, ImageStreams.RowReader in) {
    if (window == null) {
      return in.readRows(y1 - y0);
    }
    int windowY1 = windowY0 + window.height();
    Image kept = y0 < windowY1 ? window.crop(0, y0 - windowY0, window.width(), windowY1 - y0) : null;
    Image fresh = y1 > windowY1 ? in.readRows(y1 - windowY1) : null;
    return kept == null ? fresh : fresh == null ? kept : stack(kept, fresh);
  }

  /** {@code top} above {@code bottom} (same width, planes, alpha and depth). */
  private static Image stack(Image top, Image bottom) {
    float[][] planes = new float[top.channels()][];
    for (int c = 0; c < planes.length; c++) {
      planes[c] = concat(top.plane(c), bottom.plane(c));
    }
    float[] alpha = top.hasAlpha() ? concat(top.alpha(), bottom.alpha()) : null;
    return new Image(top.width(), top.height() + bottom.height(), planes, alpha, top.bitDepth());
  }

  private static float[] concat(float[] a, float[] b) {
    float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
