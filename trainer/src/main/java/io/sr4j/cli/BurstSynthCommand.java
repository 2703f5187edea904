package io.sr4j.cli;

import io.sr4j.data.burst.BurstSynth;
import io.sr4j.data.burst.RigidMotion;
import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.data.pairs.BundledData;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
    name = "synth",
    mixinStandardHelpOptions = true,
    description = {
      "Make synthetic bursts with known motion from HR images.",
      "",
      "Frame 0 is the reference (not moved); frame n is the scene moved by a random sub-pixel translation in",
      "[-PX, PX] LR pixels (and rotated by up to DEG), integrated over the PSF, with Gaussian noise, quantised",
      "to 8 bits. Writes frame_00.png, frame_01.png, ..., hr.png (the HR image cropped to the merge's output",
      "size) and truth.json (each frame's motion) into --out, or into --out/<image name>/ for a folder or set."
    })
final class BurstSynthCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--hr", required = true, paramLabel = "IMG|DIR|SET", description = "An HR image, a folder, or Set5/Set14/T91.")
  String hr;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path outDir;

  @Option(names = "--frames", defaultValue = "8", paramLabel = "N", description = "Frames per burst. Default: ${DEFAULT-VALUE}.")
  int frames;

  @Option(names = {"-s", "--scale"}, defaultValue = "2", paramLabel = "S", description = "HR size over frame size, in [1, 4]. Default: ${DEFAULT-VALUE}.")
  double scale;

  @Option(names = "--shift", defaultValue = "2", paramLabel = "PX", description = "Largest translation per axis, LR pixels. Default: ${DEFAULT-VALUE}.")
  double shift;

  @Option(names = "--noise", defaultValue = "0", paramLabel = "SIGMA", description = "Gaussian noise sigma, [0,1] units (0.01 = 2.55 code values). Default: ${DEFAULT-VALUE}.")
  double noise;

  @Option(names = "--rotation", defaultValue = "0", paramLabel = "DEG", description = "Largest rotation, degrees. Default: ${DEFAULT-VALUE}.")
  double rotation;

  @Option(names = "--psf", defaultValue = "box", paramLabel = "box|gaussian", description = "Box (pixel area) or Gaussian (sigma 0.5 LR px). Default: ${DEFAULT-VALUE}.")
  String psf;

  @Option(names = "--moving-patch", description = "Frame 1 shows a square patch of the scene displaced (a moving object).")
  boolean movingPatch;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Random seed. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--threads", paramLabel = "N", description = "Threads. Default: the number of cores.")
  Integer threads;

  @Override
  public Integer call() {
    if (frames < 1 || frames > 100) {
      throw new ParameterException(spec.commandLine(), "Invalid value for option '--frames': " + frames + " (expected 1..100)");
    }
    BurstCommand.checkScale(spec, scale, 4);
    checkNonNegative("--shift", shift);
    checkNonNegative("--noise", noise);
    checkNonNegative("--rotation", rotation);
    BurstSynth.Psf p = BurstCommand.choice(spec, "--psf", psf, Map.of("box", BurstSynth.Psf.BOX, "gaussian", BurstSynth.Psf.GAUSSIAN));
    int workers = BurstCommand.threads(spec, threads);
    BurstSynth.Options options = new BurstSynth.Options(frames, scale, shift, noise, rotation, p, movingPatch, seed);
    Path single = Path.of(hr);
    List<Path> images = Files.isRegularFile(single) ? List.of(single) : ImageFiles.list(BundledData.resolveHrFolder(hr));
    PrintWriter out = spec.commandLine().getOut();
    for (Path image : images) {
      Path dir = images.size() == 1 && Files.isRegularFile(single) ? outDir : outDir.resolve(stem(image));
      BurstSynth.Burst burst = BurstSynth.make(ImageFiles.read(image), options, workers);
      List<Map<String, Object>> truth = new ArrayList<>();
      for (int n = 0; n < burst.frames().size(); n++) {
        String file = String.format(Locale.ROOT, "frame_%02d.png", n);
        ImageFiles.write(burst.frames().get(n), dir.resolve(file));
        RigidMotion m = burst.motions().get(n);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("file", file);
        f.put("shift_x", m.shiftX());
        f.put("shift_y", m.shiftY());
        f.put("rotation_deg", Math.toDegrees(m.angleRad()));
        f.put("centre_x", m.centreX());
        f.put("centre_y", m.centreY());
        truth.add(f);
      }
      ImageFiles.write(burst.hr(), dir.resolve("hr.png"));
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("source", image.toString());
      json.put("convention", "the scene point at reference pixel p appears in frame n at R(p - centre) + centre + shift "
          + "(R: rotation by rotation_deg); LR pixels, pixel centres at integers; HR pixel X has LR coordinate "
          + "(X + 0.5) / scale - 0.5");
      json.put("options", options);
      json.put("frames", truth);
      json.put("moving_patch", burst.patch());
      JsonOutput.write(dir.resolve("truth.json"), json);
      Image f0 = burst.frames().get(0);
      out.printf(Locale.ROOT, "%s: %d frames of %dx%d, HR %dx%d%n", dir, burst.frames().size(), f0.width(), f0.height(),
          burst.hr().width(), burst.hr().height());
    }
    return 0;
  }

  private void checkNonNegative(String option, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + value + " (expected a number >= 0)");
    }
  }

  private static String stem(Path p) {
    String n = p.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot < 0 ? n : n.substring(0, dot);
  }
}
