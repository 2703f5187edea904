package io.sr4j.cli;

import io.sr4j.data.BadInputException;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.infer.ImageUpscaling;
import io.sr4j.infer.Models;
import io.sr4j.infer.TiledUpscaler;
import io.sr4j.infer.Upscaler;
import io.sr4j.nn.PeakMemory;
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
        ImageUpscaling.file(upscaler, f, target, tile, tilePad, maxPixels.get(), count -> {
          ProgressBar tilesBar = terminal && files.size() == 1 && count > 1 ? bar("tiles", count) : null;
          return n -> {
            if (tilesBar != null) {
              tilesBar.stepTo(n);
              if (n == count) {
                tilesBar.close();
              }
            }
          };
        });
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
          PeakMemory.residentMb());
    }
    return 0;
  }

  private static ProgressBar bar(String task, int max) {
    return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII).build();
  }
}
