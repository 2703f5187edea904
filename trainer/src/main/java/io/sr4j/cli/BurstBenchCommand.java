package io.sr4j.cli;

import io.sr4j.data.AtomicFiles;
import io.sr4j.data.BadInputException;
import io.sr4j.data.burst.BurstBench;
import io.sr4j.data.burst.BurstSynth;
import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.data.pairs.BundledData;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Compare burst super-resolution methods on synthetic bursts of a set of HR images.",
      "",
      "For each image and noise level one burst of the largest --frames count is synthesised (as 'sr burst synth'",
      "does) and its first N frames are merged for each N. Methods: bicubic of the reference, back-projection and",
      "isotropic merge (both with phase-correlation shifts), the full method (tile alignment, anisotropic kernels,",
      "robustness), the same without robustness, the full merge with the true motion (oracle), and the HR image",
      "blurred by the PSF (the limit of merging without deblurring). PSNR/SSIM on Y (8-bit, border ceil(S)), mean",
      "over the set; EPE = mean alignment end-point error in LR pixels."
    })
final class BurstBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--hr", required = true, paramLabel = "DIR|SET", description = "Folder of HR images, or Set5/Set14/T91.")
  String hr;

  @Option(names = "--frames", defaultValue = "1,2,4,8,15", split = ",", paramLabel = "N,...", description = "Burst sizes. Default: ${DEFAULT-VALUE}.")
  List<Integer> frames;

  @Option(names = "--noise", defaultValue = "0,0.01", split = ",", paramLabel = "SIGMA,...", description = "Noise levels, [0,1] units. Default: ${DEFAULT-VALUE}.")
  List<Double> noises;

  @Option(names = {"-s", "--scale"}, defaultValue = "2", paramLabel = "S", description = "Scale in [1, 3]. Default: ${DEFAULT-VALUE}.")
  double scale;

  @Option(names = "--shift", defaultValue = "2", paramLabel = "PX", description = "Largest translation per axis, LR pixels. Default: ${DEFAULT-VALUE}.")
  double shift;

  @Option(names = "--rotation", defaultValue = "0", paramLabel = "DEG", description = "Largest rotation, degrees. Default: ${DEFAULT-VALUE}.")
  double rotation;

  @Option(names = "--psf", defaultValue = "box", paramLabel = "box|gaussian", description = "Camera PSF of the synthesis. Default: ${DEFAULT-VALUE}.")
  String psf;

  @Option(names = "--moving-patch", description = "Frame 1 of every burst holds a moving patch.")
  boolean movingPatch;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Random seed. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--md", paramLabel = "FILE", description = "Write the Markdown tables here.")
  Path md;

  @Option(names = "--json", paramLabel = "FILE", description = "Write every score (per image and mean) as JSON.")
  Path json;

  @Option(names = "--threads", paramLabel = "N", description = "Bursts processed at once. Default: the number of cores.")
  Integer threads;

  @Override
  public Integer call() throws IOException {
    BurstCommand.checkScale(spec, scale, 3);
    for (int n : frames) {
      if (n < 1 || n > 100) {
        throw new ParameterException(spec.commandLine(), "Invalid value for option '--frames': " + n + " (expected 1..100)");
      }
    }
    for (double n : noises) {
      if (!(n >= 0 && n <= 1)) {
        throw new ParameterException(spec.commandLine(), "Invalid value for option '--noise': " + n + " (expected 0..1)");
      }
    }
    if (!(shift >= 0 && shift <= 16) || !(rotation >= 0 && rotation <= 10)) {
      throw new ParameterException(spec.commandLine(), "--shift must lie in [0, 16] pixels and --rotation in [0, 10] degrees");
    }
    BurstSynth.Psf p = BurstCommand.choice(spec, "--psf", psf, Map.of("box", BurstSynth.Psf.BOX, "gaussian", BurstSynth.Psf.GAUSSIAN));
    int workers = BurstCommand.threads(spec, threads);
    Map<String, Image> images = new LinkedHashMap<>();
    for (Path f : ImageFiles.list(BundledData.resolveHrFolder(hr))) {
      images.put(f.getFileName().toString(), ImageFiles.read(f));
    }
    BurstBench.Options options = new BurstBench.Options(List.copyOf(frames), List.copyOf(noises), scale, shift, rotation,
        p, movingPatch, seed, workers);
    PrintWriter out = spec.commandLine().getOut();
    BurstBench.Result result;
    try {
      result = BurstBench.run(images, options, TerminalProgress.to(out));
    } catch (IllegalArgumentException e) {
      throw new BadInputException(hr + ": " + e.getMessage(), e);
    }
    String tables = markdown(result, options);
    out.print(tables);
    out.flush();
    if (md != null) {
      AtomicFiles.writeString(md, tables);
    }
    if (json != null) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("set", hr);
      j.put("images", images.size());
      j.put("options", options);
      j.put("metric", "PSNR (dB) and SSIM on BT.601 Y of 8-bit output, border ceil(scale); epePx in LR pixels (null: no estimated motion)");
      j.put("mean", result.means());
      j.put("per_image", result.perImage());
      JsonOutput.write(json, j);
    }
    return 0;
  }

  /** One table per noise level: PSNR / SSIM per method and burst size, then a row of alignment errors. */
  static String markdown(BurstBench.Result result, BurstBench.Options o) {
    StringBuilder sb = new StringBuilder();
    for (double noise : o.noises()) {
      sb.append(String.format(Locale.ROOT, "%nnoise sigma %s, x%s, shifts U(-%s, %s) LR px%s, %s PSF: PSNR (dB) / SSIM on Y%n%n",
          trim(noise), trim(o.scale()), trim(o.maxShiftPx()), trim(o.maxShiftPx()),
          o.maxRotationDeg() > 0 ? ", rotation up to " + trim(o.maxRotationDeg()) + " deg" : "",
          o.psf().name().toLowerCase(Locale.ROOT)));
      sb.append("| method |");
      o.frames().forEach(n -> sb.append(" N = ").append(n).append(" |"));
      sb.append("\n|---|");
      o.frames().forEach(n -> sb.append("---|"));
      sb.append('\n');
      for (BurstBench.Method m : BurstBench.Method.values()) {
        sb.append("| ").append(m.label).append(" |");
        for (int n : o.frames()) {
          BurstBench.Row r = find(result, m, noise, n);
          sb.append(String.format(Locale.ROOT, " %.2f / %.4f |", r.psnr(), r.ssim()));
        }
        sb.append('\n');
      }
      for (BurstBench.Method m : List.of(BurstBench.Method.SHIFT_AND_ADD, BurstBench.Method.HANDHELD)) {
        sb.append("| EPE (px), ").append(m == BurstBench.Method.HANDHELD ? "tile alignment" : "phase correlation").append(" |");
        for (int n : o.frames()) {
          Double e = find(result, m, noise, n).epePx();
          sb.append(e == null ? " - |" : String.format(Locale.ROOT, " %.3f |", e));
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  private static BurstBench.Row find(BurstBench.Result result, BurstBench.Method m, double noise, int n) {
    return result.means().stream()
        .filter(r -> r.method() == m && r.noise() == noise && r.frames() == n)
        .findFirst().orElseThrow();
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
