package io.sr4j.cli;

import io.sr4j.data.Parallel;
import io.sr4j.data.download.Div2kDownloader;
import io.sr4j.data.download.Div2kPart;
import io.sr4j.data.pairs.PairAlignment;
import io.sr4j.data.pairs.PairedFolder;
import io.sr4j.data.prep.SubImageExtractor;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sr data}: preparing training data. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = "Prepare training data: download DIV2K, cut large images into sub-images, align rough HR/LR pairs.",
    subcommands = {DataCommand.ExtractSubimages.class, DataCommand.Download.class, DataCommand.Align.class})
final class DataCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is required: extract-subimages, download or align");
  }

  @Command(
      name = "extract-subimages",
      mixinStandardHelpOptions = true,
      description = {
        "Cut large images into overlapping square sub-images for faster training",
        "(BasicSR extract_subimages).",
        "",
        "Crops start at 0, STEP, 2*STEP, ... along each axis, plus one flush with",
        "the border when more than THRESH pixels are left over. They are written",
        "as <name>_s001.png, <name>_s002.png, ... row by row (a DIV2K suffix such",
        "as x4 is dropped from the name). With --lr-input, the LR partners (DIV2K",
        "naming) are cut at the same places divided by --scale, into --lr-output."
      })
  static final class ExtractSubimages implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--input", required = true, paramLabel = "DIR", description = "Folder of (HR) images.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "New or empty output folder.")
    Path output;

    @Option(names = "--crop", defaultValue = "480", paramLabel = "PX",
        description = "Sub-image side in pixels. Default: ${DEFAULT-VALUE}.")
    int cropPx;

    @Option(names = "--step", defaultValue = "240", paramLabel = "PX",
        description = "Distance between crops in pixels. Default: ${DEFAULT-VALUE}.")
    int stepPx;

    @Option(names = "--thresh", defaultValue = "0", paramLabel = "PX",
        description = "Add a border-flush crop when more than this many pixels are left. Default: ${DEFAULT-VALUE}.")
    int threshPx;

    @Option(names = "--scale", paramLabel = "N", description = "LR scale factor (with --lr-input).")
    Integer scale;

    @Option(names = "--lr-input", paramLabel = "DIR", description = "Folder of the LR partners (0001x4.png).")
    Path lrInput;

    @Option(names = "--lr-output", paramLabel = "DIR", description = "New or empty folder for the LR sub-images.")
    Path lrOutput;

    @Option(names = "--threads", paramLabel = "N",
        description = "Images processed at once. Default: the number of cores.")
    Integer threads;

    @Mixin MaxPixelsOption maxPixels;

    @Override
    public Integer call() {
      if (cropPx < 1 || stepPx < 1 || threshPx < 0) {
        throw new ParameterException(spec.commandLine(),
            "--crop and --step must be positive and --thresh >= 0, got " + cropPx + ", " + stepPx + ", " + threshPx);
      }
      boolean anyLr = lrInput != null || lrOutput != null || scale != null;
      if (anyLr && (lrInput == null || lrOutput == null || scale == null)) {
        throw new ParameterException(spec.commandLine(), "--lr-input, --lr-output and --scale go together");
      }
      if (scale != null && scale < 1) {
        throw new ParameterException(spec.commandLine(), "Invalid value for option '--scale': " + scale);
      }
      int workers = threads == null ? Parallel.defaultThreads() : threads;
      if (workers < 1) {
        throw new ParameterException(spec.commandLine(), "Invalid value for option '--threads': " + workers);
      }
      PrintWriter out = spec.commandLine().getOut();
      SubImageExtractor.Options options = new SubImageExtractor.Options(cropPx, stepPx, threshPx, maxPixels.get());
      TerminalProgress progress = TerminalProgress.to(out);
      SubImageExtractor.Summary summary = lrInput == null
          ? SubImageExtractor.extract(input, output, options, workers, progress)
          : SubImageExtractor.extractPairs(PairedFolder.withLrFolder(input, lrInput, scale), output, lrOutput, options,
              workers, progress);
      out.printf(Locale.ROOT, "%d sub-images of %d images written to %s%s%n", summary.subImages(), summary.images(),
          output, lrInput == null ? "" : " (LR partners in " + lrOutput + ")");
      return 0;
    }
  }

  @Command(
      name = "align",
      mixinStandardHelpOptions = true,
      description = {
        "Coarse global alignment of HR/LR pairs that are only roughly aligned (two shots, two lenses), as",
        "\"Zoom to Learn, Learn to Zoom\" prepares its pairs before training with the CoBi loss.",
        "",
        "Per pair (LR files in DIV2K naming, 0001x4.png for 0001.png, or the same name): the translation",
        "between the LR image and the HR image downscaled by --scale is found by phase correlation (BT.601",
        "luma), taken in HR pixels and rounded; both images are cropped to the part they share, the HR crop",
        "exactly --scale times the LR crop. Translation only: rotation and zoom are left to the loss."
      })
  static final class Align implements Callable<Integer> {
    /** What {@code --json} writes. */
    record Report(String hr, String lr, int scale, int maxShift, List<PairAlignment.Pair> pairs) {}

    @Spec CommandSpec spec;

    @Option(names = "--hr", required = true, paramLabel = "DIR", description = "Folder of HR images.")
    Path hr;

    @Option(names = "--lr", required = true, paramLabel = "DIR", description = "Folder of their LR partners.")
    Path lr;

    @Option(names = "--scale", required = true, paramLabel = "N", description = "SR factor (HR size / LR size).")
    int scale;

    @Option(names = "--hr-output", required = true, paramLabel = "DIR", description = "New or empty folder for HR crops.")
    Path hrOutput;

    @Option(names = "--lr-output", required = true, paramLabel = "DIR", description = "New or empty folder for LR crops.")
    Path lrOutput;

    @Option(names = "--max-shift", defaultValue = "32", paramLabel = "PX",
        description = "Largest displacement accepted, in HR pixels; a pair moved further fails. Default: ${DEFAULT-VALUE}.")
    int maxShift;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every pair's shift and crops as JSON.")
    Path json;

    @Option(names = "--threads", paramLabel = "N", description = "Pairs aligned at once. Default: the number of cores.")
    Integer threads;

    @Override
    public Integer call() {
      if (scale < 1 || maxShift < 0) {
        throw new ParameterException(spec.commandLine(), "--scale must be >= 1 and --max-shift >= 0, got " + scale
            + " and " + maxShift);
      }
      int workers = threads == null ? Parallel.defaultThreads() : threads;
      if (workers < 1) {
        throw new ParameterException(spec.commandLine(), "Invalid value for option '--threads': " + workers);
      }
      PairedFolder folder = PairedFolder.withLrFolder(hr, lr, scale);
      List<PairAlignment.Pair> pairs = PairAlignment.alignFolder(folder, maxShift, hrOutput, lrOutput, workers);
      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "%-16s %18s %12s %20s%n", "pair", "shift (HR px)", "applied", "LR crop");
      for (PairAlignment.Pair p : pairs) {
        out.printf(Locale.ROOT, "%-16s %18s %12s %20s%n", p.name(),
            String.format(Locale.ROOT, "(%.2f, %.2f)", p.shiftX(), p.shiftY()),
            "(" + p.offsetX() + ", " + p.offsetY() + ")", p.lrWidth() + "x" + p.lrHeight() + "+" + p.lrX() + "+" + p.lrY());
      }
      out.printf(Locale.ROOT, "%d pairs aligned into %s and %s%n", pairs.size(), hrOutput, lrOutput);
      if (json != null) {
        JsonOutput.write(json, new Report(hr.toString(), lr.toString(), scale, maxShift, pairs));
        out.println("wrote " + json);
      }
      return 0;
    }
  }

  @Command(
      name = "download",
      mixinStandardHelpOptions = true,
      description = {
        "Download and unpack a training data set (DIV2K) into its standard layout.",
        "",
        "Downloads resume where an earlier run stopped. Archives are checked",
        "(size, CRC-32 of every file, SHA-256 against --checksums and against",
        "DIR/SHA256SUMS, which records each archive's SHA-256 the first time) and",
        "deleted after unpacking; parts already unpacked are skipped."
      })
  static final class Download implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DATASET", description = "The data set: div2k.")
    String dataset;

    @Option(names = "--to", required = true, paramLabel = "DIR", description = "Destination folder.")
    Path to;

    private List<Div2kPart> parts;

    @Option(names = "--parts", defaultValue = Div2kPart.DEFAULT_SHORT_NAMES, paramLabel = "LIST",
        description = "Comma-separated parts: train_hr, valid_hr, train_lr_x2, train_lr_x3, train_lr_x4, "
            + "valid_lr_x2, valid_lr_x3, valid_lr_x4. Default: ${DEFAULT-VALUE}.")
    void setParts(String list) {
      try {
        parts = Div2kPart.parseList(list);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "Invalid value for option '--parts': " + e.getMessage());
      }
    }

    @Option(names = "--base-url", defaultValue = Div2kDownloader.DEFAULT_BASE, paramLabel = "URL",
        description = "Where the archives are. Default: ${DEFAULT-VALUE}")
    URI baseUrl;

    @Option(names = "--checksums", paramLabel = "FILE",
        description = "Known SHA-256 values in sha256sum format, checked before unpacking.")
    Path checksums;

    @Option(names = "--keep-archives", description = "Keep the zip files after unpacking.")
    boolean keepArchives;

    @Option(names = "--attempts", defaultValue = "5", paramLabel = "N",
        description = "Requests per archive, each resuming the last, before giving up. Default: ${DEFAULT-VALUE}.")
    int attempts;

    @Override
    public Integer call() throws InterruptedException {
      if (!dataset.equalsIgnoreCase("div2k")) {
        throw new ParameterException(spec.commandLine(), "unknown data set '" + dataset + "'; available: div2k");
      }
      if (attempts < 1) {
        throw new ParameterException(spec.commandLine(), "Invalid value for option '--attempts': " + attempts);
      }
      URI base = baseUrl.toString().endsWith("/") ? baseUrl : URI.create(baseUrl + "/");
      PrintWriter out = spec.commandLine().getOut();
      List<Div2kDownloader.PartResult> results = Div2kDownloader.download(
          new Div2kDownloader.Options(to, parts, base, checksums, keepArchives, attempts), TerminalProgress.to(out));
      long fresh = results.stream().filter(r -> !r.alreadyComplete()).count();
      out.printf(Locale.ROOT, "DIV2K in %s: %d part(s) installed, %d already complete%n", to, fresh,
          results.size() - fresh);
      return 0;
    }
  }
}
