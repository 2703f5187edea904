package io.sr4j.cli;

import io.sr4j.data.BadInputException;
import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.data.image.ImageStreams;
import io.sr4j.data.image.PixelLimit;
import io.sr4j.infer.Models;
import io.sr4j.infer.TiledUpscaler;
import io.sr4j.infer.Upscaler;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "upscale",
    mixinStandardHelpOptions = true,
    description = {
      "Upscale an image or every image of a folder.",
      "",
      "Gray, RGB and RGBA (alpha upscaled separately) work; 16-bit PNG input gives 16-bit PNG output.",
      "A folder is written as <name>.png files. With --tile, large images are processed tile by tile",
      "(each with --tile-pad pixels of context), never holding more than one tile's activations; PNG input",
      "and output are then streamed a band of tiles at a time, so images larger than the memory work",
      "(raise --max-pixels for them). JPEG orientation (EXIF) is applied on reading."
    })
final class UpscaleCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ModelOptions model;

  @Mixin ScaleOption scale;

  @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE|DIR", description = "Image or folder of images.")
  Path input;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE|DIR",
      description = "Output image (format from its extension) or folder.")
  Path output;

  @Option(names = "--tile", defaultValue = "0", paramLabel = "PX",
      description = "Tile side in LR pixels, 0 to " + TiledUpscaler.MAX_TILE_PX + " (0: whole image). Default: ${DEFAULT-VALUE}.")
  int tile;

  @Option(names = "--tile-pad", defaultValue = "16", paramLabel = "PX",
      description = "Context around each tile, LR pixels, 0 to " + TiledUpscaler.MAX_TILE_PX + ". Default: ${DEFAULT-VALUE}.")
  int tilePad;

  @Mixin MaxPixelsOption maxPixels;

  @Option(names = "--stats", description = "Print the time taken and the peak resident memory of the process.")
  boolean stats;

  @Override
  public Integer call() throws IOException {
    long start = System.nanoTime();
    if (tile < 0 || tile > TiledUpscaler.MAX_TILE_PX || tilePad < 0 || tilePad > TiledUpscaler.MAX_TILE_PX) {
      throw new BadInputException("--tile and --tile-pad must be 0 to " + TiledUpscaler.MAX_TILE_PX + ", got " + tile
          + " and " + tilePad);
    }
    Upscaler upscaler = Models.open(model.spec(), scale.get());
    PrintWriter out = spec.commandLine().getOut();
    List<Path> files;
    Path outDir = null;
    if (Files.isDirectory(input)) {
      if (Files.isRegularFile(output)) {
        throw new BadInputException(output + ": is a file, but the input " + input + " is a folder; give an output folder");
      }
      files = ImageFiles.list(input);
      outDir = output;
    } else {
      files = List.of(input);
    }
    boolean terminal = System.console() != null;
    try (ProgressBar filesBar = terminal && files.size() > 1 ? bar("images", files.size()) : null) {
      for (Path f : files) {
        Path target = outDir == null ? output : outDir.resolve(ImageFiles.stem(f) + ".png");
        if (tile > 0) {
          try (ImageStreams.RowReader in = ImageStreams.reader(f, maxPixels.get())) {
            int outW = outputSide(f, in.width(), upscaler.scale());
            int outH = outputSide(f, in.height(), upscaler.scale());
            if (!ImageFiles.extension(target).equals("png")) {
              checkHeldWhole(f, target, outW, outH);
            }
            checkHeap(f, TiledUpscaler.bandHeapBytes(in.width(), in.height(), in.samples(), upscaler.scale(), tile,
                tilePad), "a band of --tile " + tile + " (+ 2 x --tile-pad " + tilePad + ") rows", "a smaller --tile");
            int count = TiledUpscaler.tileCount(in.width(), in.height(), tile);
            try (ProgressBar tilesBar = terminal && files.size() == 1 && count > 1 ? bar("tiles", count) : null) {
              TiledUpscaler tiled = new TiledUpscaler(upscaler, tile, tilePad, n -> {
                if (tilesBar != null) {
                  tilesBar.stepTo(n);
                }
              });
              ImageStreams.write(target, outW, outH, sink -> tiled.stream(in, sink));
            }
          }
        } else {
          ImageFiles.Dimensions size = ImageFiles.dimensions(f);
          PixelLimit.check(f, size.width(), size.height(), maxPixels.get());
          int outW = outputSide(f, size.width(), upscaler.scale());
          int outH = outputSide(f, size.height(), upscaler.scale());
          checkHeldWhole(f, target, outW, outH);
          // at least one float plane in and out (an RGB image needs three)
          checkHeap(f, ((long) size.width() * size.height() + (long) outW * outH) * Float.BYTES, "the whole image",
              "--tile with a .png output");
          Image lr = ImageFiles.read(f, maxPixels.get());
          ImageFiles.write(upscaler.upscale(lr), target);
        }
        if (filesBar != null) {
          filesBar.step();
        } else {
          out.println(f + " -> " + target);
          out.flush();
        }
      }
    }
    if (stats) {
      out.printf(Locale.ROOT, "time %.1f s, peak resident memory %.0f MiB%n", (System.nanoTime() - start) / 1e9,
          peakRssKib() / 1024.0);
    }
    return 0;
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

  /** An output assembled in memory (no --tile, or not a .png) must fit one Java array per plane. */
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

  private static ProgressBar bar(String task, int max) {
    return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII).build();
  }

  /** VmHWM of this process in KiB (Linux), or -1 where /proc is not available. */
  static long peakRssKib() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return -1;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
