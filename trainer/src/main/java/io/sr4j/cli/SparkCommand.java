package io.sr4j.cli;

import io.sr4j.data.BadInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code sr spark}: assembles the spark-submit command of a job of the Spark application
 * ({@code trainer/spark}, class io.sr4j.spark.SparkMain) and runs it. Spark itself is not on this command line's
 * classpath; the job's own options are passed through unchanged and checked by the job when it starts.
 */
@Command(
    name = "spark",
    mixinStandardHelpOptions = true,
    description = {
      "Run upscale, evaluate, prepare or ablate on an Apache Spark cluster through spark-submit",
      "(standalone, YARN, Kubernetes, or local[N] on this machine). Needs SPARK_HOME (Spark 3.5) or --spark-submit.",
      "Jobs are idempotent: a second run skips the items the first finished (OUTPUT/manifest.jsonl)."
    },
    subcommands = {SparkCommand.Upscale.class, SparkCommand.Evaluate.class, SparkCommand.Prepare.class,
        SparkCommand.Ablate.class})
final class SparkCommand implements Runnable {
  static final String MAIN_CLASS = "io.sr4j.spark.SparkMain";
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a job is required: upscale, evaluate, prepare or ablate");
  }

  @Command(name = "upscale", mixinStandardHelpOptions = true, description = {
      "Upscale a folder or list of images on Spark. Job options (as 'sr upscale'): --model M [--arch, --opt,",
      "--param-key] --scale N --input DIR|URI or --input-list FILE, --output DIR|URI, --tile PX, --tile-pad PX,",
      "--partitions N."})
  static final class Upscale extends Submit {}

  @Command(name = "evaluate", mixinStandardHelpOptions = true, description = {
      "Evaluate a model on a large set on Spark. Job options (as 'sr evaluate'): --model M --scale N --hr DIR|URI|SET",
      "[--lr DIR] [--channel y|rgb] [--border N] [--synthesis auto|luma|rgb8] [--metrics NAMES] [--save DIR] --output DIR,",
      "--partitions N. OUTPUT/evaluation.json has the format of 'sr evaluate --json'."})
  static final class Evaluate extends Submit {}

  @Command(name = "prepare", mixinStandardHelpOptions = true, description = {
      "Prepare training data on Spark. Job options: --input HR_DIR --output DIR [--scale N ...] (LR images,",
      "DIV2K layout) [--sub-images --crop PX --step PX --thresh PX] (as 'sr data extract-subimages'), --partitions N."})
  static final class Prepare extends Submit {}

  @Command(name = "ablate", mixinStandardHelpOptions = true, description = {
      "Train the candidates of an ablation spec (or, with --tune, a search spec) as Spark tasks, one per candidate.",
      "Job options: SPEC [--tune] [--resume]. The experiments folder must be on storage the driver and every",
      "executor share (same path); the results are those of 'sr ablate' / 'sr tune'."})
  static final class Ablate extends Submit {}

  /** The submission options shared by the jobs; everything else is the job's. */
  abstract static class Submit implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--master", required = true, paramLabel = "URL",
        description = "spark://HOST:7077, k8s://https://HOST:443, yarn, or local[N].")
    String master;

    @Option(names = "--deploy-mode", defaultValue = "client", paramLabel = "client|cluster",
        description = "Where the driver runs. Default: ${DEFAULT-VALUE}.")
    String deployMode;

    @Option(names = "--task-cpus", defaultValue = "1", paramLabel = "N",
        description = "Cores per task, and ND4J/OpenMP threads per task. Default: ${DEFAULT-VALUE}.")
    int taskCpus;

    @Option(names = "--executor-cores", paramLabel = "N", description = "Cores per executor.")
    Integer executorCores;

    @Option(names = "--num-executors", paramLabel = "N", description = "Executors (YARN, Kubernetes).")
    Integer numExecutors;

    @Option(names = "--executor-memory", paramLabel = "SIZE", description = "Java heap per executor, e.g. 4g.")
    String executorMemory;

    @Option(names = "--driver-memory", paramLabel = "SIZE", description = "Java heap of the driver.")
    String driverMemory;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting (repeatable).")
    List<String> conf = new ArrayList<>();

    @Option(names = "--spark-submit", paramLabel = "PATH",
        description = "The spark-submit program. Default: $SPARK_HOME/bin/spark-submit.")
    Path sparkSubmit;

    @Option(names = "--app-jar", paramLabel = "JAR|URI",
        description = "The Spark application jar: a path, or a URI such as local:///opt/sr4j/sr4j-spark.jar (a jar "
            + "inside the cluster's container image). Default: trainer/spark/target/sr4j-spark.jar of this project.")
    String appJar;

    @Option(names = "--print-only", description = "Print the spark-submit command instead of running it.")
    boolean printOnly;

    @Unmatched List<String> jobArgs = new ArrayList<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
      if (taskCpus < 1) {
        throw new ParameterException(spec.commandLine(), "Invalid value for option '--task-cpus': " + taskCpus);
      }
      if (!deployMode.equals("client") && !deployMode.equals("cluster")) {
        throw new ParameterException(spec.commandLine(),
            "Invalid value for option '--deploy-mode': " + deployMode + " (expected client or cluster)");
      }
      for (String c : conf) {
        if (!c.contains("=")) {
          throw new ParameterException(spec.commandLine(), "Invalid value for option '--conf': " + c
              + " (expected KEY=VALUE)");
        }
      }
      if (jobArgs.isEmpty()) {
        throw new ParameterException(spec.commandLine(), "the job's options are missing (see 'sr spark "
            + spec.name() + " --help')");
      }
      List<String> command = command();
      PrintWriter out = spec.commandLine().getOut();
      if (printOnly) {
        out.println(command.stream().map(Submit::shellQuoted).collect(Collectors.joining(" ")));
        return 0;
      }
      Path program = Path.of(command.get(0));
      if (!Files.isExecutable(program)) {
        throw new BadInputException(program + ": not an executable spark-submit; set SPARK_HOME to a Spark 3.5 "
            + "installation or give --spark-submit PATH");
      }
      String jar = command.get(command.indexOf(MAIN_CLASS) + 1);
      if (!jar.contains(":") && !Files.isRegularFile(Path.of(jar))) {
        throw new BadInputException(jar + ": the Spark application jar is missing; build it with "
            + "'mvn -B -DskipTests -pl trainer/spark -am package' (./sr spark builds it on first use)");
      }
      ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
      pb.environment().put("OMP_NUM_THREADS", Integer.toString(taskCpus)); // the driver, and executors of local[N]
      return pb.start().waitFor();
    }

    /** The spark-submit command line. */
    List<String> command() {
      List<String> c = new ArrayList<>();
      c.add(sparkSubmitProgram());
      c.addAll(List.of("--master", master, "--deploy-mode", deployMode, "--name", "sr4j " + spec.name()));
      c.addAll(List.of("--conf", "spark.task.cpus=" + taskCpus));
      c.addAll(List.of("--conf", "spark.executorEnv.OMP_NUM_THREADS=" + taskCpus));
      if (executorCores != null) {
        c.addAll(List.of("--executor-cores", executorCores.toString()));
      }
      if (numExecutors != null) {
        c.addAll(List.of("--num-executors", numExecutors.toString()));
      }
      if (executorMemory != null) {
        c.addAll(List.of("--executor-memory", executorMemory));
      }
      if (driverMemory != null) {
        c.addAll(List.of("--driver-memory", driverMemory));
      }
      for (String setting : conf) {
        c.addAll(List.of("--conf", setting));
      }
      c.addAll(List.of("--class", MAIN_CLASS, applicationJar(), spec.name()));
      c.addAll(jobArgs);
      return c;
    }

    private String sparkSubmitProgram() {
      if (sparkSubmit != null) {
        return sparkSubmit.toString();
      }
      String home = System.getenv("SPARK_HOME");
      if (home == null || home.isBlank()) {
        if (printOnly) {
          return "spark-submit";
        }
        throw new BadInputException("SPARK_HOME is not set; set it to a Spark 3.5 installation or give "
            + "--spark-submit PATH");
      }
      return Path.of(home, "bin", "spark-submit").toString();
    }

    /** A URI as given, a path made absolute. */
    private String applicationJar() {
      if (appJar != null) {
        return appJar.contains(":") ? appJar : Path.of(appJar).toAbsolutePath().toString();
      }
      String home = System.getProperty("sr4j.home");
      Path root = home != null ? Path.of(home) : Path.of("").toAbsolutePath();
      return root.resolve("trainer/spark/target/sr4j-spark.jar").toString();
    }

    static String shellQuoted(String arg) {
      return SAFE.matcher(arg).matches() ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }
  }
}
