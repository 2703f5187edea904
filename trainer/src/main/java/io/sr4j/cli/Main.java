package io.sr4j.cli;

import io.sr4j.data.BadInputException;
import io.sr4j.nn.HostBuffers;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code sr} command line. Exit codes: 0 success, 2 usage error (bad option or value), 1 failure (bad file,
 * failed run). Errors are one line on stderr; {@code --verbose} adds the stack trace.
 */
@Command(
    name = "sr",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Super-resolution training, evaluation and inference on Deeplearning4j.",
    subcommands = {
      TrainCommand.class,
      AblateCommand.class,
      TuneCommand.class,
      EvaluateCommand.class,
      CompareCommand.class,
      UpscaleCommand.class,
      ResizeCommand.class,
      NiqeCommand.class,
      DataCommand.class,
      ModelInfoCommand.class,
      ExportCommand.class,
      InterpolateCommand.class,
      WeightsCommand.class,
      BenchCommand.class,
      BurstCommand.class,
      SparkCommand.class,
      ReportCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
  boolean verbose;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a command is required (see 'sr --help')");
  }

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** A fully configured command line (also used by tests, with their own out/err writers). */
  public static CommandLine newCommandLine() {
    return configure(new CommandLine(new Main()));
  }

  /** Help width, one-line usage errors (exit 2) and failures (exit 1) as {@code sr} has them, for any command. */
  public static CommandLine configure(CommandLine cli) {
    cli.setUsageHelpWidth(120); // descriptions are written as lines of up to ~115 characters
    cli.setParameterExceptionHandler(Main::usageError);
    cli.setExecutionExceptionHandler(Main::failure);
    cli.setExecutionStrategy(Main::execute);
    return cli;
  }

  /** Runs the parsed command with ND4J's arrays on {@link HostBuffers} (help requests print without loading ND4J). */
  private static int execute(ParseResult parsed) {
    Integer help = CommandLine.executeHelpRequest(parsed);
    if (help != null) {
      return help;
    }
    HostBuffers.install();
    return new CommandLine.RunLast().execute(parsed);
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage()
        + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
    err.flush();
    return CommandLine.ExitCode.USAGE;
  }

  private static int failure(Exception e, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    String prefix = cmd.getCommandSpec().qualifiedName() + ": ";
    if (e instanceof BadInputException) {
      err.println(prefix + e.getMessage());
    } else {
      err.println(prefix + "failed: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage())
          + (verbose(parsed) ? "" : " (run with --verbose for details)"));
    }
    if (verbose(parsed)) {
      e.printStackTrace(err);
    }
    err.flush();
    return CommandLine.ExitCode.SOFTWARE;
  }

  private static boolean verbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  /** Version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"sr4j " + (v == null ? "(development build)" : v)};
    }
  }
}
