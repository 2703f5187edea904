package io.sr4j.cli;

import io.sr4j.data.BadInputException;
import io.sr4j.data.Parallel;
import io.sr4j.data.burst.BackProjection;
import io.sr4j.data.burst.BurstAlignment;
import io.sr4j.data.burst.BurstFrames;
import io.sr4j.data.burst.BurstMerge;
import io.sr4j.data.burst.Flow;
import io.sr4j.data.burst.RigidMotion;
import io.sr4j.data.burst.TileFlow;
import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "burst",
    mixinStandardHelpOptions = true,
    description = {
      "Multi-frame super-resolution: merge a burst of slightly shifted frames into one image at --scale.",
      "",
      "In the style of Super Res Zoom (Wronski et al. 2019) on RGB or gray frames (8- or 16-bit): tile alignment",
      "(pyramid block matching + Lucas-Kanade), anisotropic kernels from the structure tensor, a robustness mask",
      "against moving objects, and accumulation on the HR grid; bicubic of the reference where no frame has a",
      "sample. Frames are read a strip of rows at a time. 'sr burst synth' makes synthetic bursts with known motion",
      "and 'sr burst bench' compares the method with bicubic, back-projection and shift-and-add on a set."
    },
    subcommands = {BurstSynthCommand.class, BurstBenchCommand.class})
final class BurstCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"-i", "--input"}, arity = "1..*", paramLabel = "DIR|FILE",
      description = "A folder of frames (sorted by name) or the frame files in order.")
  List<Path> input;

  @Option(names = {"-s", "--scale"}, paramLabel = "S", description = "Output size over frame size, a number in [1, 3].")
  Double scale;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Output image (format from its extension).")
  Path output;

  @Option(names = "--kernel", defaultValue = "aniso", paramLabel = "iso|aniso",
      description = "Merge kernels: structure-tensor anisotropic, or one isotropic Gaussian (sigma "
          + BurstMerge.DEFAULT_ISO_SIGMA_LR_PX + " LR px). Default: ${DEFAULT-VALUE}.")
  String kernel;

  @Option(names = "--robustness", defaultValue = "on", paramLabel = "on|off",
      description = "Reject samples that disagree with the reference (moving objects, misalignment). Default: ${DEFAULT-VALUE}.")
  String robustness;

  @Option(names = "--reference", defaultValue = "first", paramLabel = "first|sharpest",
      description = "The frame the output is aligned to. Default: ${DEFAULT-VALUE}.")
  String reference;

  @Option(names = "--align", defaultValue = "tiles", paramLabel = "tiles|global",
      description = "Per-tile flow, or one translation per frame (phase correlation + Lucas-Kanade). Default: ${DEFAULT-VALUE}.")
  String align;

  @Option(names = "--method", defaultValue = "merge", paramLabel = "merge|back-projection",
      description = "Kernel merge, or Irani-Peleg iterative back-projection (holds all frames in memory). Default: ${DEFAULT-VALUE}.")
  String method;

  @Option(names = "--tile", paramLabel = "PX", description = "Alignment tile size. Default: 16, or 32 when the reference's noise sigma is >= 0.02.")
  Integer tile;

  @Option(names = "--save-flow", paramLabel = "FILE", description = "Write the estimated displacements (JSON).")
  Path saveFlow;

  @Option(names = "--threads", paramLabel = "N", description = "Threads. Default: the number of cores.")
  Integer threads;

  @Override
  public Integer call() {
    if (input == null || scale == null || output == null) {
      throw new ParameterException(spec.commandLine(),
          "--input, --scale and --output are required (or use a subcommand: synth, bench)");
    }
    checkScale(spec, scale, 3);
    BurstMerge.Kernel k = choice(spec, "--kernel", kernel, Map.of("iso", BurstMerge.Kernel.ISO, "aniso", BurstMerge.Kernel.ANISO));
    boolean robust = choice(spec, "--robustness", robustness, Map.of("on", true, "off", false));
    BurstAlignment.Reference ref = choice(spec, "--reference", reference,
        Map.of("first", BurstAlignment.Reference.FIRST, "sharpest", BurstAlignment.Reference.SHARPEST));
    BurstAlignment.Method alignment = choice(spec, "--align", align,
        Map.of("tiles", BurstAlignment.Method.TILES, "global", BurstAlignment.Method.GLOBAL));
    boolean backProjection = choice(spec, "--method", method, Map.of("merge", false, "back-projection", true));
    int workers = threads(spec, threads);
    if (tile != null && (tile < 4 || tile > 256)) {
      throw new ParameterException(spec.commandLine(), "Invalid value for option '--tile': " + tile + " (expected 4..256)");
    }
    if (!List.of("png", "jpg", "jpeg", "bmp").contains(ImageFiles.extension(output))) {
      throw new BadInputException(output + ": unknown output format, expected .png, .jpg or .bmp");
    }
    List<Path> files = input.size() == 1 && Files.isDirectory(input.get(0)) ? ImageFiles.list(input.get(0)) : input;
    PrintWriter out = spec.commandLine().getOut();
    TerminalProgress progress = TerminalProgress.to(out);
    BurstFrames frames = BurstFrames.files(files);
    BurstAlignment.FrameStats stats = BurstAlignment.stats(frames, workers, progress);
    int r = BurstAlignment.reference(stats, ref);
    int tilePx = tile != null ? tile : BurstAlignment.tilePx(stats.sigmas()[r]);
    List<Flow> flows = BurstAlignment.flows(frames, r, stats.sigmas()[r], alignment, tilePx, workers, progress);
    Image result;
    if (backProjection) {
      List<Image> all = IntStream.range(0, frames.count()).mapToObj(frames::frame).toList();
      result = BackProjection.run(all, r, flows, new BackProjection.Options(scale,
          BackProjection.DEFAULT_ITERATIONS, BackProjection.DEFAULT_PSF_SIGMA_LR_PX, workers));
    } else {
      BurstMerge.Aligned aligned = new BurstMerge.Aligned(flows, stats.sigmas(), r, BurstAlignment.kernelParams(stats, r));
      result = BurstMerge.merge(frames, aligned,
          new BurstMerge.Options(scale, k, robust, BurstMerge.DEFAULT_ISO_SIGMA_LR_PX, tilePx, workers), progress);
    }
    ImageFiles.write(result, output);
    if (saveFlow != null) {
      JsonOutput.write(saveFlow, flowJson(files, r, stats, flows));
    }
    out.printf(Locale.ROOT, "%s (%s) from %d frames, reference %s (noise sigma %.4f)%s%n", output, result,
        frames.count(), files.get(r).getFileName(), stats.sigmas()[r], saveFlow == null ? "" : "; flow in " + saveFlow);
    return 0;
  }

  private static Map<String, Object> flowJson(List<Path> files, int reference, BurstAlignment.FrameStats stats,
      List<Flow> flows) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("convention", "the scene point at reference pixel (x, y) appears in a frame at (x + dx, y + dy); "
        + "LR pixels, pixel centres at integers, (0, 0) the centre of the top-left pixel");
    json.put("reference", files.get(reference).toString());
    List<Map<String, Object>> list = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("file", files.get(i).toString());
      f.put("noise_sigma", stats.sigmas()[i]);
      f.put("sharpness", stats.sharpness()[i]);
      Flow flow = flows.get(i);
      if (flow instanceof TileFlow t) {
        f.put("type", "tiles");
        f.put("tile_px", t.tilePx());
        f.put("step_px", t.stepPx());
        f.put("tiles_x", t.tilesX());
        f.put("tiles_y", t.tilesY());
        f.put("tile_centre_0_px", t.centre(0));
        f.put("dx", t.dx());
        f.put("dy", t.dy());
      } else if (flow instanceof RigidMotion m) {
        f.put("type", "translation");
        f.put("dx", m.shiftX());
        f.put("dy", m.shiftY());
      }
      list.add(f);
    }
    json.put("frames", list);
    return json;
  }

  static void checkScale(CommandSpec spec, double value, double max) {
    if (!(value >= 1 && value <= max)) {
      throw new ParameterException(spec.commandLine(),
          "Invalid value for option '--scale': " + value + " (expected a number in [1, " + (int) max + "])");
    }
  }

  static int threads(CommandSpec spec, Integer threads) {
    int n = threads == null ? Parallel.defaultThreads() : threads;
    if (n < 1) {
      throw new ParameterException(spec.commandLine(), "Invalid value for option '--threads': " + n + " (expected >= 1)");
    }
    return n;
  }

  /** The value {@code text} names among {@code choices}, or a usage error listing them. */
  static <T> T choice(CommandSpec spec, String option, String text, Map<String, T> choices) {
    T value = choices.get(text.toLowerCase(Locale.ROOT));
    if (value == null) {
      throw new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + text
          + " (expected " + String.join(" or ", choices.keySet().stream().sorted().toList()) + ")");
    }
    return value;
  }
}
