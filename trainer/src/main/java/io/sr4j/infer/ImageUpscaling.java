package io.sr4j.infer;

import io.sr4j.data.BadInputException;
import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.data.image.ImageStreams;
import io.sr4j.data.image.PixelLimit;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/**
 * One image file upscaled into another, as {@code sr upscale} (and the Spark upscale job) do it: with a tile size,
 * tile by tile and, for PNG, read and written a band of tiles at a time, so that images larger than the memory work;
 * without, the whole image at once. Sizes are checked before anything is allocated.
 */
public final class ImageUpscaling {
  private ImageUpscaling() {}

  /**
   * Upscales {@code input} into {@code output} (format from its extension). {@code tilePx} 0 means the whole image;
   * {@code progress} is given the number of tiles once it is known and returns what to tell after each tile.
   */
  public static void file(Upscaler upscaler, Path input, Path output, int tilePx, int tilePadPx, long maxPixels,
      IntFunction<IntConsumer> progress) {
    if (tilePx > 0) {
      try (ImageStreams.RowReader in = ImageStreams.reader(input, maxPixels)) {
        int outW = outputSide(input, in.width(), upscaler.scale());
        int outH = outputSide(input, in.height(), upscaler.scale());
        if (!ImageFiles.extension(output).equals("png")) {
          checkHeldWhole(input, output, outW, outH);
        }
        checkHeap(input, TiledUpscaler.bandHeapBytes(in.width(), in.height(), in.samples(), upscaler.scale(), tilePx,
            tilePadPx), "a band of --tile " + tilePx + " (+ 2 x --tile-pad " + tilePadPx + ") rows", "a smaller --tile");
        IntConsumer tileDone = progress.apply(TiledUpscaler.tileCount(in.width(), in.height(), tilePx));
        TiledUpscaler tiled = new TiledUpscaler(upscaler, tilePx, tilePadPx, tileDone);
        ImageStreams.write(output, outW, outH, sink -> tiled.stream(in, sink));
      }
      return;
    }
    ImageFiles.Dimensions size = ImageFiles.dimensions(input);
    PixelLimit.check(input, size.width(), size.height(), maxPixels);
    int outW = outputSide(input, size.width(), upscaler.scale());
    int outH = outputSide(input, size.height(), upscaler.scale());
    checkHeldWhole(input, output, outW, outH);
    // at least one float plane in and out (an RGB image needs three)
    checkHeap(input, ((long) size.width() * size.height() + (long) outW * outH) * Float.BYTES, "the whole image",
        "--tile with a .png output");
    Image lr = ImageFiles.read(input, maxPixels);
    ImageFiles.write(upscaler.upscale(lr), output);
  }

  /** {@code side * scale}, which must fit an int (a PNG side is at most 2^31 - 1). */
  private static int outputSide(Path input, int side, int scale) {
    long out = (long) side * scale;
    if (out > Integer.MAX_VALUE) {
      throw new BadInputException(input + ": a side of " + side + " pixels x" + scale + " exceeds the largest image "
          + "side of " + Integer.MAX_VALUE + " pixels");
    }
    return (int) out;
  }

  /** An output assembled in memory (no tiles, or not a .png) must fit one Java array per plane. */
  private static void checkHeldWhole(Path input, Path target, int outW, int outH) {
    long pixels = (long) outW * outH;
    if (pixels > Integer.MAX_VALUE - 8) {
      throw new BadInputException(input + ": the output is " + outW + "x" + outH + " = " + pixels + " pixels, too "
          + "large to hold in memory; use --tile with a .png output (" + target.getFileName() + " is "
          + (ImageFiles.extension(target).equals("png") ? "a PNG, add --tile" : "not a PNG") + "), which streams it");
    }
  }

  /** Fails when {@code bytes}, a lower bound of the heap needed for {@code what}, exceeds the Java heap. */
  private static void checkHeap(Path input, long bytes, String what, String instead) {
    long heap = Runtime.getRuntime().maxMemory();
    if (bytes > heap) {
      throw new BadInputException(String.format(Locale.ROOT, "%s: upscaling %s needs at least %,d MiB of Java heap, "
          + "more than the %,d MiB available; use %s, or a larger heap (SR_JAVA_OPTS=-Xmx...)", input, what,
          bytes >> 20, heap >> 20, instead));
    }
  }
}
