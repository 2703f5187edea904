package io.sr4j.spark;

import io.sr4j.cli.Main;
import io.sr4j.cli.ModelOptions;
import io.sr4j.cli.ScaleOption;
import io.sr4j.infer.Models;
import io.sr4j.data.metrics.MetricChannel;
import io.sr4j.data.pairs.LrSynthesis;
import io.sr4j.data.prep.SubImageExtractor;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The Spark application's entry point (the class spark-submit runs): parses a job's arguments and runs it. Paths
 * are local paths or URIs of any Hadoop file system; every job is idempotent and records a manifest.
 */
@Command(
    name = "sr spark",
    mixinStandardHelpOptions = true,
    description = "Upscale, evaluate or prepare large image sets, and train ablation candidates, on Apache Spark (run "
        + "through spark-submit).",
    subcommands = {SparkMain.Upscale.class, SparkMain.Evaluate.class, SparkMain.Prepare.class, SparkMain.Ablate.class,
        CommandLine.HelpCommand.class})
public final class SparkMain implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
  boolean verbose;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a job is required: upscale, evaluate, prepare or ablate");
  }

  public static void main(String[] args) {
    System.exit(Main.configure(new CommandLine(new SparkMain())).execute(args));
  }

  private static JavaSparkContext context(String job) {
    return new JavaSparkContext(new SparkConf().setAppName("sr4j " + job));
  }

  private static final String IDEMPOTENT =
      "Items finished by an earlier run of the same job (see OUTPUT/manifest.jsonl) are skipped; failed and "
          + "unfinished ones are done again.";

  @Command(
      name = "upscale",
      mixinStandardHelpOptions = true,
      description = {
        "Upscale every image of a folder or list into OUTPUT/<name>.png, as 'sr upscale' does.",
        "",
        IDEMPOTENT
      })
  static final class Upscale implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ModelOptions model;

    @Mixin ScaleOption scale;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
      @Option(names = {"-i", "--input"}, required = true, paramLabel = "DIR", description = "Folder of images.")
      String dir;

      @Option(names = "--input-list", required = true, paramLabel = "FILE",
          description = "Text file with one image path or URI a line (relative to the file's folder).")
      String list;
    }

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Output folder.")
    String output;

    @Option(names = "--tile", defaultValue = "0", paramLabel = "PX",
        description = "Tile side in LR pixels (0: whole image). Default: ${DEFAULT-VALUE}.")
    int tile;

    @Option(names = "--tile-pad", defaultValue = "16", paramLabel = "PX",
        description = "Context around each tile, LR pixels. Default: ${DEFAULT-VALUE}.")
    int tilePad;

    @Mixin Partitions partitions;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (JavaSparkContext sc = context("upscale")) {
        UpscaleJob.run(sc, new UpscaleJob.Options(model.spec(), scaleOf(model, scale), input.dir != null ? input.dir : input.list,
            input.list != null, output, tile, tilePad, partitions.count), out).requireNoFailures();
      }
      return 0;
    }
  }

  @Command(
      name = "evaluate",
      mixinStandardHelpOptions = true,
      description = {
        "Measure PSNR and SSIM (and NIQE) of a model on a large set, as 'sr evaluate' does: the same per-image",
        "scores and the same means. Writes OUTPUT/evaluation.json (the format of 'sr evaluate --json').",
        "",
        IDEMPOTENT
      })
  static final class Evaluate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ModelOptions model;

    @Mixin ScaleOption scale;

    @Option(names = "--hr", required = true, paramLabel = "DIR|SET",
        description = "Folder of HR images, or a bundled set: Set5, Set14, T91.")
    String hr;

    @Option(names = "--lr", paramLabel = "DIR",
        description = "Folder of LR images in DIV2K naming (local or mounted); default: synthesised from HR.")
    String lr;

    @Option(names = "--channel", defaultValue = "y", paramLabel = "y|rgb",
        description = "Measure on BT.601 Y (papers) or on RGB (model zoos). Default: ${DEFAULT-VALUE}.")
    String channel;

    @Option(names = "--border", paramLabel = "N", description = "Pixels cropped on every side. Default: the scale.")
    Integer border;

    @Option(names = "--synthesis", defaultValue = "auto", paramLabel = "auto|luma|rgb8",
        description = "How LR images are made without --lr, as in 'sr evaluate'. Default: ${DEFAULT-VALUE}.")
    String synthesis;

    @Option(names = "--metrics", defaultValue = "psnr,ssim", split = ",", paramLabel = "NAME[,NAME...]",
        description = "Metrics, as 'sr evaluate --metrics': psnr, ssim, niqe, psnr_shift, sharpness. "
            + "Default: ${DEFAULT-VALUE}.")
    List<String> metrics = new ArrayList<>();

    @Option(names = "--max-shift", defaultValue = "4", paramLabel = "PX",
        description = "Largest shift psnr_shift tries, in pixels. Default: ${DEFAULT-VALUE}.")
    int maxShift;

    @Option(names = "--save", paramLabel = "DIR", description = "Write each SR output as DIR/<name>.png.")
    String save;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR",
        description = "Folder for evaluation.json and manifest.jsonl.")
    String output;

    @Mixin Partitions partitions;

    @Override
    public Integer call() {
      LrSynthesis how = switch (synthesis) {
        case "auto" -> null;
        case "luma" -> LrSynthesis.LUMA;
        case "rgb8" -> LrSynthesis.RGB8;
        default -> throw new ParameterException(spec.commandLine(),
            "Invalid value for option '--synthesis': " + synthesis + " (expected auto, luma or rgb8)");
      };
      MetricChannel ch = MetricChannel.parse(channel);
      if (border != null && border < 0) {
        throw new ParameterException(spec.commandLine(), "Invalid value for option '--border': " + border);
      }
      try (JavaSparkContext sc = context("evaluate")) {
        EvaluateJob.run(sc, new EvaluateJob.Options(model.spec(), scaleOf(model, scale), hr, lr, ch, border == null ? -1 : border,
            how, metrics, maxShift, save, output, partitions.count), spec.commandLine().getOut());
      }
      return 0;
    }
  }

  @Command(
      name = "prepare",
      mixinStandardHelpOptions = true,
      description = {
        "Prepare training data from a large HR set in the DIV2K/BasicSR layout under OUTPUT:",
        "LR_bicubic/X<s>/<name>x<s>.png (MATLAB bicubic of the 8-bit image, as DIV2K's LR files),",
        "HR_sub/<name>_s001.png ... (as 'sr data extract-subimages'), LR_bicubic/X<s>_sub/ (their LR partners).",
        "",
        IDEMPOTENT
      })
  static final class Prepare implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = {"-i", "--input"}, required = true, paramLabel = "DIR", description = "Folder of HR images.")
    String input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Output root folder.")
    String output;

    @Option(names = {"-s", "--scale"}, paramLabel = "N", description = "LR scale to synthesise (repeatable).")
    List<Integer> scales = new ArrayList<>();

    @Option(names = "--sub-images", description = "Also cut sub-images (of HR and of every LR scale).")
    boolean subImages;

    @Option(names = "--crop", defaultValue = "480", paramLabel = "PX",
        description = "Sub-image side in HR pixels. Default: ${DEFAULT-VALUE}.")
    int cropPx;

    @Option(names = "--step", defaultValue = "240", paramLabel = "PX",
        description = "Distance between crops in HR pixels. Default: ${DEFAULT-VALUE}.")
    int stepPx;

    @Option(names = "--thresh", defaultValue = "0", paramLabel = "PX",
        description = "Add a border-flush crop when more than this many pixels are left. Default: ${DEFAULT-VALUE}.")
    int threshPx;

    @Mixin Partitions partitions;

    @Override
    public Integer call() {
      if (cropPx < 1 || stepPx < 1 || threshPx < 0) {
        throw new ParameterException(spec.commandLine(),
            "--crop and --step must be positive and --thresh >= 0, got " + cropPx + ", " + stepPx + ", " + threshPx);
      }
      SubImageExtractor.Options sub = subImages ? new SubImageExtractor.Options(cropPx, stepPx, threshPx) : null;
      try (JavaSparkContext sc = context("prepare")) {
        PrepareJob.run(sc, new PrepareJob.Options(input, output, scales, sub, partitions.count),
            spec.commandLine().getOut()).requireNoFailures();
      }
      return 0;
    }
  }

  @Command(
      name = "ablate",
      mixinStandardHelpOptions = true,
      description = {
        "Train the candidates of an ablation spec (sr ablate) or of a search spec (--tune, sr tune) as Spark tasks,",
        "one task per candidate with spark.task.cpus ND4J threads, into the run folders the local command uses;",
        "the driver then writes the same results (results.md, .csv, .json, curves.png, grid.png, report.html).",
        "The experiments folder must be shared by the driver and every executor (same path). A retried task",
        "resumes its candidate from its newest checkpoint; finished candidates are skipped with --resume."
      })
  static final class Ablate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @picocli.CommandLine.Parameters(paramLabel = "SPEC", description = "The ablation or search spec file.")
    String specFile;

    @Option(names = "--tune", description = "SPEC is a search spec (as 'sr tune').")
    boolean tune;

    @Option(names = "--resume", description = "Continue an ablation folder that already holds runs.")
    boolean resume;

    @Override
    public Integer call() {
      // two attempts of one candidate would train into the same run folder
      SparkConf conf = new SparkConf().setAppName("sr4j ablate").set("spark.speculation", "false");
      try (JavaSparkContext sc = new JavaSparkContext(conf)) {
        AblateJob.Result r = AblateJob.run(sc, new AblateJob.Options(specFile,
            tune ? io.sr4j.ablate.AblationPlan.Kind.TUNE : io.sr4j.ablate.AblationPlan.Kind.ABLATE, resume,
            conf.getInt("spark.task.cpus", 1)), spec.commandLine().getOut());
        return r.failed() == 0 ? 0 : 1;
      }
    }
  }

  /** {@code --partitions}. */
  static final class Partitions {
    @Option(names = "--partitions", defaultValue = "0", paramLabel = "N",
        description = "Number of Spark tasks (default: one per 8 images, at least one per core).")
    int count;
  }

  /** The given --scale, or the one the model file says (opened once on the driver); interpolators need --scale. */
  static int scaleOf(ModelOptions model, ScaleOption scale) {
    return scale.get() != null ? scale.get() : Models.open(model.spec(), null).scale();
  }
}
