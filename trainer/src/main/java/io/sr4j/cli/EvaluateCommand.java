package io.sr4j.cli;

import io.sr4j.data.image.ImageFiles;
import io.sr4j.data.metrics.FidelityProtocol;
import io.sr4j.data.metrics.MetricChannel;
import io.sr4j.data.pairs.BundledData;
import io.sr4j.data.pairs.LrSynthesis;
import io.sr4j.data.pairs.PairedFolder;
import io.sr4j.eval.Evaluator;
import io.sr4j.infer.Models;
import io.sr4j.infer.Upscaler;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
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
      "Measure PSNR and SSIM of a model on a benchmark set, as SR papers do.",
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
    int s = scale.get();
    MetricChannel ch = MetricChannel.parse(channel);
    int borderPx = border == null ? s : border;
    Upscaler upscaler = Models.open(model.spec(), s);
    Path hrDir = BundledData.resolveHrFolder(hr);
    LrSynthesis how = switch (synthesis) {
      case auto -> Evaluator.paperSynthesis(upscaler, ch);
      case luma -> LrSynthesis.LUMA;
      case rgb8 -> LrSynthesis.RGB8;
    };
    PairedFolder set = (lr == null ? PairedFolder.synthesized(hrDir, s, how) : PairedFolder.withLrFolder(hrDir, lr, s))
        .withMaxPixels(maxPixels.get());
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "%s x%d on %s (%d images); %s channel, border %d px; LR: %s%n", upscaler.name(), s, hrDir,
        set.size(), ch.configName().toUpperCase(Locale.ROOT), borderPx,
        lr != null ? "read from " + lr : how == LrSynthesis.LUMA ? "SRCNN luma pipeline" : "MATLAB bicubic of 8-bit RGB");
    out.printf(Locale.ROOT, "%-16s %10s %8s%n", "image", "PSNR (dB)", "SSIM");
    out.flush();
    Evaluator.Report report = Evaluator.evaluate(upscaler, set, new FidelityProtocol(ch, borderPx),
        (sample, sr, score) -> {
          out.printf(Locale.ROOT, "%-16s %10.4f %8.4f%n", score.name(), score.psnr(), score.ssim());
          out.flush();
          if (save != null) {
            ImageFiles.write(sr, save.resolve(sample.name() + ".png"));
          }
        });
    out.printf(Locale.ROOT, "%-16s %10.4f %8.4f%n", "mean", report.mean().psnr(), report.mean().ssim());
    if (json != null) {
      JsonOutput.write(json, report);
      out.println("wrote " + json);
    }
    return 0;
  }
}
