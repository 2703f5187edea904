package io.sr4j.cli;

import io.sr4j.report.Reports;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Write the HTML reports of training runs: DIR/report.html for a run folder; for a folder of runs, every run's",
      "report and DIR/index.html (one sortable table of all runs). Pages are self-contained and work offline.",
      "Training rewrites a run's report at every validation; this regenerates any of them."
    })
final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "DIR", defaultValue = "experiments",
      description = "A run folder or a folder of runs. Default: experiments.")
  Path dir;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    for (Reports.Written w : Reports.regenerate(dir)) {
      out.printf(Locale.ROOT, "wrote %s (%.0f ms)%n", w.file(), w.nanos() / 1e6);
    }
    out.flush();
    return 0;
  }
}
