package io.sr4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sr4j.ckpt.Checkpoint;
import io.sr4j.ckpt.GeneratorFiles;
import io.sr4j.ckpt.NetworkInterpolation;
import io.sr4j.data.AtomicFiles;
import io.sr4j.data.BadInputException;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.data.image.Image;
import io.sr4j.data.metrics.MetricChannel;
import io.sr4j.eval.CropGrid;
import io.sr4j.eval.InterpolationSweep;
import io.sr4j.nn.InputGradientGraph;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "interpolate",
    mixinStandardHelpOptions = true,
    description = {
      "Interpolate two generators: theta = (1 - alpha) * theta_A + alpha * theta_B (ESRGAN).",
      "",
      "A and B must be the same architecture with the same options (the first difference is named); every",
      "parameter and BatchNorm statistic is interpolated. Checkpoints of this project and imported .pth files work.",
      "With --sweep, each alpha is evaluated on a set (PSNR, SSIM, NIQE) into sweep.md, sweep.json and grid.png."
    })
final class InterpolateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--a", required = true, paramLabel = "MODEL", description = "Usually the PSNR-oriented model.")
  Path a;

  @Option(names = "--b", required = true, paramLabel = "MODEL", description = "Usually the GAN model.")
  Path b;

  @Option(names = "--weights-a", paramLabel = "raw|ema", description = "Which weights of A, when it holds both raw and EMA weights (required then).")
  String weightsA;

  @Option(names = "--weights-b", paramLabel = "raw|ema", description = "Which weights of B, when it holds both (required then).")
  String weightsB;

  @Option(names = "--alpha", paramLabel = "X", description = "Weight of B, in [0, 1] (0 gives A, 1 gives B).")
  String alpha;

  @Option(names = "--extrapolate", description = "Allow alpha outside [0, 1].")
  boolean extrapolate;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE|DIR",
      description = "Output model; a folder gets interp_<A>_<B>_alpha<X>.zip. Default: that name in the current folder.")
  Path output;

  @Option(names = "--scale", paramLabel = "N", description = "Scale, where the model files do not say it.")
  Integer scale;

  @Option(names = "--sweep", paramLabel = "START:STOP:STEP", description = "Evaluate every alpha of the range, e.g. 0:1:0.1.")
  String sweep;

  @Option(names = "--hr", paramLabel = "DIR|SET", description = "Set for --sweep (folder or Set5, Set14).")
  String hr;

  @Option(names = "--out-dir", paramLabel = "DIR", description = "Where --sweep writes sweep.md, sweep.json and grid.png.")
  Path outDir;

  @Option(names = "--channel", defaultValue = "y", paramLabel = "y|rgb", description = "PSNR/SSIM channel for --sweep. Default: ${DEFAULT-VALUE}.")
  String channel;

  @Option(names = "--metrics", defaultValue = "psnr,ssim,niqe", split = ",", paramLabel = "NAME[,NAME...]",
      description = "Metrics of --sweep, as 'sr evaluate --metrics' (lpips needs the zoo's vgg16 and lpips-vgg). "
          + "Default: ${DEFAULT-VALUE}.")
  List<String> metricNames = new ArrayList<>();

  @Option(names = "--crop", defaultValue = "96", paramLabel = "PX", description = "Side of the grid's crops. Default: ${DEFAULT-VALUE}.")
  int crop;

  @Option(names = "--grid-images", defaultValue = "3", paramLabel = "N", description = "Images shown in the grid. Default: ${DEFAULT-VALUE}.")
  int gridImages;

  @Mixin MaxPixelsOption maxPixels;

  @Override
  public Integer call() throws IOException {
    if ((alpha == null) == (sweep == null)) {
      throw new ParameterException(spec.commandLine(), "give exactly one of --alpha and --sweep");
    }
    Checkpoint.Loaded la = load(a, weightsA, "--weights-a");
    Checkpoint.Loaded lb = load(b, weightsB, "--weights-b");
    NetworkInterpolation.checkCompatible(la, lb, "A (" + a + ")", "B (" + b + ")");
    PrintWriter out = spec.commandLine().getOut();
    if (alpha != null) {
      BigDecimal value = parseAlpha(alpha);
      InputGradientGraph net = NetworkInterpolation.interpolate(la.network(), lb.network(), value.doubleValue());
      Path file = outputFile(value);
      String what = "(1 - " + value.toPlainString() + ") * " + a.getFileName() + " + " + value.toPlainString() + " * " + b.getFileName();
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("alpha", value.toPlainString());
      meta.put("a", a.toString());
      meta.put("b", b.toString());
      meta.put("weights_a", weightsA == null ? "raw" : weightsA);
      meta.put("weights_b", weightsB == null ? "raw" : weightsB);
      // the sources' configs and provenance go along under sr4j/sources/{a,b}/ (the result is no run's output)
      Map<String, byte[]> extras = new LinkedHashMap<>();
      extras.put("sr4j/interpolation.json", new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(meta));
      Checkpoint.runEntries(a).forEach((name, bytes) -> extras.put(name.replace("sr4j/", "sr4j/sources/a/"), bytes));
      Checkpoint.runEntries(b).forEach((name, bytes) -> extras.put(name.replace("sr4j/", "sr4j/sources/b/"), bytes));
      Checkpoint.write(file, net, la.card().withProvenance("interpolation " + what, null, "interpolated"), false,
          extras);
      out.println("wrote " + file + " = " + what);
      return 0;
    }
    if (hr == null || outDir == null) {
      throw new ParameterException(spec.commandLine(), "--sweep needs --hr and --out-dir");
    }
    List<BigDecimal> alphas = InterpolationSweep.alphas(sweep);
    for (BigDecimal x : alphas) {
      checkRange(x);
    }
    MetricChannel ch = MetricChannel.parse(channel);
    InterpolationSweep.Result r = InterpolationSweep.run(la, lb, alphas, hr, ch, metricNames, gridImages,
        maxPixels.get());
    Files.createDirectories(outDir);
    StringBuilder md = new StringBuilder("| alpha |");
    StringBuilder rule = new StringBuilder("|---|");
    StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-8s", "alpha"));
    for (String m : metricNames) {
      md.append(' ').append(m.equals("psnr") ? "PSNR (dB)" : m.toUpperCase(Locale.ROOT)).append(" |");
      rule.append("---|");
      head.append(String.format(Locale.ROOT, " %10s", m));
    }
    md.append('\n').append(rule).append('\n');
    out.println(head);
    for (InterpolationSweep.Row row : r.rows()) {
      md.append("| ").append(row.alpha()).append(" |");
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-8s", row.alpha()));
      for (String m : metricNames) {
        md.append(String.format(Locale.ROOT, " %.4f |", row.means().get(m)));
        line.append(String.format(Locale.ROOT, " %10.4f", row.means().get(m)));
      }
      md.append('\n');
      out.println(line);
    }
    String header = "Interpolation (1 - alpha) * " + a + " + alpha * " + b + " on " + hr + " x" + r.scale() + ", "
        + ch.configName().toUpperCase(Locale.ROOT) + " channel, border " + r.scale() + "; NIQE on Y and LPIPS on RGB (lower is "
        + "better).\n\n";
    AtomicFiles.writeString(outDir.resolve("sweep.md"), header + md);
    JsonOutput.write(outDir.resolve("sweep.json"), Map.of("a", a.toString(), "b", b.toString(), "set", hr,
        "scale", r.scale(), "channel", ch.configName(), "rows", r.rows().stream().map(row -> {
          Map<String, Object> flat = new LinkedHashMap<>();
          flat.put("alpha", row.alpha());
          flat.putAll(row.means());
          return flat;
        }).toList()));
    List<String> labels = new ArrayList<>(List.of("HR", "bicubic"));
    r.rows().forEach(row -> labels.add("alpha " + row.alpha()));
    List<List<Image>> grid = new ArrayList<>();
    for (int i = 0; i < r.names().size(); i++) {
      List<Image> row = new ArrayList<>(List.of(r.hr().get(i), r.bicubic().get(i)));
      row.addAll(r.sr().get(i));
      grid.add(row);
    }
    CropGrid.write(outDir.resolve("grid.png"), labels, r.names(), grid, crop);
    out.println("wrote " + outDir.resolve("sweep.md") + ", sweep.json, grid.png");
    return 0;
  }

  private Checkpoint.Loaded load(Path file, String weights, String option) {
    Set<String> kinds = GeneratorFiles.weightKinds(file);
    if (weights == null && kinds.size() > 1) {
      throw new BadInputException(file + " holds both raw and EMA weights; choose one with " + option + " raw|ema");
    }
    String w = weights == null ? "raw" : weights;
    if (!kinds.contains(w)) {
      throw new BadInputException(option + " " + w + ": " + file + " holds only " + kinds + " weights");
    }
    return GeneratorFiles.load(file, scale, w.equals("ema") ? "params_ema" : "params", null, Map.of());
  }

  private BigDecimal parseAlpha(String text) {
    BigDecimal value;
    try {
      value = new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw new ParameterException(spec.commandLine(), "Invalid value for option '--alpha': " + text + " (expected a number)");
    }
    checkRange(value);
    return value;
  }

  private void checkRange(BigDecimal value) {
    if (!extrapolate && (value.signum() < 0 || value.compareTo(BigDecimal.ONE) > 0)) {
      throw new ParameterException(spec.commandLine(), "alpha " + value.toPlainString()
          + " is outside [0, 1]; add --extrapolate to allow it");
    }
  }

  private Path outputFile(BigDecimal value) {
    String name = "interp_" + ImageFiles.stem(a) + "_" + ImageFiles.stem(b) + "_alpha" + value.toPlainString() + ".zip";
    if (output == null) {
      return Path.of(name);
    }
    return Files.isDirectory(output) || output.toString().endsWith("/") ? output.resolve(name) : output;
  }
}
