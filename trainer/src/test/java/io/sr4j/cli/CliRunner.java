package io.sr4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the {@code sr} command line in-process and captures its exit code and output. */
final class CliRunner {
  record Result(int exit, String out, String err) {
    /** Non-empty lines of stderr. */
    long errLines() {
      return err.lines().filter(l -> !l.isBlank()).count();
    }
  }

  private CliRunner() {}

  static Result run(String... args) {
    CommandLine cli = Main.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }
}
