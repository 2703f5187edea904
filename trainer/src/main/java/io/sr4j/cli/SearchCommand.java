package io.sr4j.cli;

import io.sr4j.ablate.AblationPlan;
import io.sr4j.ablate.AblationResults;
import io.sr4j.ablate.AblationRunner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** What {@code sr ablate} and {@code sr tune} share: read the spec, then validate, train and report, or report only. */
abstract class SearchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SPEC", description = "The spec file (YAML; see configs/README.md).")
  Path specFile;

  @Option(names = "--parallel", paramLabel = "N", defaultValue = "1",
      description = "Candidates trained at once (each gets cores / N ND4J threads). Default: ${DEFAULT-VALUE}.")
  int parallel;

  @Option(names = "--resume", description = "Continue an interrupted run: finished candidates are kept, an "
      + "interrupted one continues from its newest checkpoint.")
  boolean resume;

  @Option(names = "--report-only", description = "Only rebuild the results from the run folders (nothing is trained).")
  boolean reportOnly;

  @Option(names = "--dry-run", description = "Validate every candidate and list them; nothing is built or written.")
  boolean dryRun;

  abstract AblationPlan.Kind kind();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    AblationPlan plan = AblationPlan.read(specFile, kind());
    if (reportOnly) {
      AblationResults.Written w = AblationResults.write(plan);
      out.println("rebuilt " + w.markdown() + " and the other results from the run folders in " + plan.outDir());
      return 0;
    }
    if (dryRun) {
      plan.validate(0, true).forEach(p -> {
        out.println((p.candidate().index() + 1) + "/" + plan.candidates().size() + " " + p.plan().runDir() + ": "
            + (p.candidate().overrides().isEmpty() ? "base config" : p.candidate().overrides()));
        p.plan().missingInputs().forEach(m -> out.println("  missing input: " + m));
      });
      out.println("dry run: " + plan.candidates().size() + " candidates are valid, ranked by " + plan.rankKey() + " ("
          + (plan.higherIsBetter() ? "higher" : "lower") + " is better); nothing was built or written");
      return 0;
    }
    AblationRunner.Summary s = AblationRunner.run(plan, new AblationRunner.Options(parallel, resume, line -> {
      out.println(line);
      out.flush();
    }, System.console() != null));
    out.println(s.candidates() + " candidates: " + s.trained() + " trained now, " + s.skipped() + " already done, "
        + s.failed().size() + " failed" + (s.failed().isEmpty() ? "" : " " + s.failed().keySet()) + "; results in "
        + plan.outDir());
    return s.failed().isEmpty() ? 0 : 1;
  }
}
