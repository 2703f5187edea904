package io.sr4j.cli;

import io.sr4j.data.image.ImageFiles;
import io.sr4j.data.metrics.MetricChannel;
import io.sr4j.data.pairs.LrSynthesis;
import io.sr4j.data.pairs.PairedFolder;
import io.sr4j.eval.EvaluationReport;
import io.sr4j.eval.Metric;
import io.sr4j.eval.Metrics;
import io.sr4j.eval.Scoring;
import io.sr4j.infer.Models;
import io.sr4j.infer.Upscaler;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Measure PSNR and SSIM (and NIQE) of a model on a benchmark set, as SR papers do.",
      "",
      "HR is mod-cropped to the scale, LR is made by MATLAB bicubic (or read from --lr), the SR output is",
      "clamped and rounded to 8 bits, converted to BT.601 Y (--channel y) and --border pixels are cropped."
    })
final class EvaluateCommand implements Callable<Integer> {
  /** How LR images are made when no --lr folder is given. */
  enum Synthesis { auto, luma, rgb8 }

  @Spec CommandSpec spec;

  @Mixin ModelOptions model;

  @Option(names = "--hr", required = true, paramLabel = "DIR|SET",
      description = "Folder of HR images, or a bundled set: Set5, Set14, T91.")
  String hr;

  @Option(names = "--lr", paramLabel = "DIR",
      description = "Folder of LR images in DIV2K naming (0001x4.png for 0001.png, or the same name).")
  Path lr;

  @Mixin ScaleOption scale;

  @Option(names = "--channel", defaultValue = "y", paramLabel = "y|rgb",
      description = "Measure on BT.601 Y (papers) or on RGB (model zoos). Default: ${DEFAULT-VALUE}.")
  String channel;

  @Option(names = "--border", paramLabel = "N", description = "Pixels cropped on every side. Default: the scale.")
  Integer border;

  @Option(names = "--metrics", defaultValue = "psnr,ssim", split = ",", paramLabel = "NAME[,NAME...]",
      description = "Metrics: psnr, ssim, niqe (no-reference, lower is better), psnr_shift (best PSNR over shifts of up "
          + "to --max-shift px), sharpness (high-frequency energy of SR over HR). Default: ${DEFAULT-VALUE}.")
  List<String> metricNames = new ArrayList<>();

  @Option(names = "--max-shift", defaultValue = "4", paramLabel = "PX",
      description = "Largest shift psnr_shift tries, in pixels. Default: ${DEFAULT-VALUE}.")
  int maxShift;

  @Option(names = "--synthesis", defaultValue = "auto", paramLabel = "auto|luma|rgb8",
      description = "How LR images are made without --lr: luma = the SRCNN release's pipeline (8-bit Y resized in "
          + "double; Y-only models), rgb8 = MATLAB bicubic on the 8-bit RGB image (as DIV2K LR files). auto = luma "
          + "for --channel y with a Y-capable model (bicubic, SRCNN), else rgb8. Default: ${DEFAULT-VALUE}.")
  Synthesis synthesis;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
  Path json;

  @Option(names = "--save", paramLabel = "DIR", description = "Write each SR output as DIR/<name>.png.")
  Path save;

  @Mixin MaxPixelsOption maxPixels;

  @Override
  public Integer call() {
    Upscaler upscaler = Models.open(model.spec(), scale.get());
    int s = upscaler.scale();
    MetricChannel ch = MetricChannel.parse(channel);
    int borderPx = border == null ? s : border;
    Map<String, Metric> metrics = Metrics.named(metricNames, ch, borderPx, maxShift);
    LrSynthesis how = switch (synthesis) {
      case auto -> Scoring.paperSynthesis(upscaler, metrics);
      case luma -> LrSynthesis.LUMA;
      case rgb8 -> LrSynthesis.RGB8;
    };
    PairedFolder set = Scoring.pairedSet(hr, lr, s, how).withMaxPixels(maxPixels.get());
    String lrText = lr != null ? "read from " + lr
        : how == LrSynthesis.LUMA ? "SRCNN luma pipeline" : "MATLAB bicubic of 8-bit RGB";
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "%s x%d on %s (%d images); %s channel, border %d px; LR: %s%n", upscaler.name(), s,
        set.hrDir(), set.size(), ch.configName().toUpperCase(Locale.ROOT), borderPx, lrText);
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-16s", "image"));
    metrics.keySet().forEach(m -> header.append(String.format(Locale.ROOT, " %10s", heading(m))));
    out.println(header);
    out.flush();
    Scoring.Table table = Scoring.score(upscaler, set, metrics, (sample, sr, scores) -> {
      out.println(row(scores.name(), scores.values()));
      out.flush();
      if (save != null) {
        ImageFiles.write(sr, save.resolve(sample.name() + ".png"));
      }
    });
    out.println(row("mean", table.means()));
    if (json != null) {
      JsonOutput.write(json, EvaluationReport.of(upscaler.name(), s, set.hrDir().toString(),
          lr == null ? null : lr.toString(), how, ch, borderPx, List.copyOf(metrics.keySet()), table));
      out.println("wrote " + json);
    }
    return 0;
  }

  private static String heading(String metric) {
    return switch (metric) {
      case "psnr" -> "PSNR (dB)";
      case "psnr_shift" -> "PSNR-shift";
      default -> metric.toUpperCase(Locale.ROOT);
    };
  }

  private static String row(String name, Map<String, Double> values) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-16s", name));
    values.values().forEach(v -> sb.append(String.format(Locale.ROOT, " %10.4f", v)));
    return sb.toString();
  }
}
