package io.sr4j.spark;

import io.sr4j.ablate.AblationPlan;
import io.sr4j.ablate.AblationResults;
import io.sr4j.ablate.AblationRunner;
import io.sr4j.data.BadInputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The candidates of an ablation or search spec ({@code sr ablate} / {@code sr tune}) as Spark tasks, one task per
 * candidate: each trains through the normal trainer into the run folder the local command would use,
 * {@code <experiments_root>/<ablation>/<candidate>_s<seed>/}, so that folder must be on storage every executor and the
 * driver share (an NFS or similar mount, the same path everywhere). A candidate that is already finished is skipped; a
 * retried task (a lost executor) resumes its candidate from its newest checkpoint; a failure (a NaN loss) is recorded
 * in the candidate's folder and does not fail the task, so it is not retried. Speculative execution is turned off for
 * this job: two attempts of a candidate would write the same folder. The driver then writes the results exactly as the
 * local command does (results.md/.csv/.json, curves.png, grid.png, report.html).
 */
final class AblateJob {
  private AblateJob() {}

  /**
   * @param spec the spec file (a path every executor sees)
   * @param kind ablation (variants, grid) or search
   * @param resume continue an ablation folder that already holds runs
   * @param taskThreads ND4J threads of each candidate's training (the job's spark.task.cpus)
   */
  record Options(String spec, AblationPlan.Kind kind, boolean resume, int taskThreads) {}

  /** The candidates' outcomes in candidate order and the results written. */
  record Result(List<AblationRunner.Trained> candidates, AblationResults.Written written) {
    long failed() {
      return candidates.stream().filter(c -> c.state().equals("failed")).count();
    }
  }

  static Result run(JavaSparkContext sc, Options o, PrintWriter log) {
    if (o.taskThreads() < 1) {
      throw new BadInputException("spark.task.cpus must be at least 1, got " + o.taskThreads());
    }
    AblationPlan plan = AblationPlan.read(Path.of(o.spec()), o.kind());
    AblationRunner.start(plan, o.taskThreads(), o.resume());
    int n = plan.candidates().size();
    log.println(plan.name() + ": " + n + " candidates as " + n + " Spark tasks, " + o.taskThreads()
        + " ND4J threads each; run folders in " + plan.outDir());
    log.flush();
    String spec = o.spec();
    AblationPlan.Kind kind = o.kind();
    int threads = o.taskThreads();
    List<Integer> indices = IntStream.range(0, n).boxed().toList();
    List<AblationRunner.Trained> outcomes = new ArrayList<>(sc.parallelize(indices, n).map(k -> {
      AblationPlan p = AblationPlan.read(Path.of(spec), kind);
      String prefix = "[" + (k + 1) + "/" + p.candidates().size() + "] ";
      return AblationRunner.trainOne(p, k, threads, line -> System.out.println(prefix + line));
    }).collect());
    for (int k = 0; k < n; k++) {
      AblationRunner.Trained t = outcomes.get(k);
      log.println("candidate " + (k + 1) + " of " + n + " (" + t.runName() + "): " + t.state()
          + (t.skipped() ? " earlier, not trained again" : "") + (t.reason() == null ? "" : ": " + t.reason()));
    }
    AblationResults.Written written = AblationResults.write(plan);
    log.println("results: " + written.markdown() + ", " + written.json().getFileName() + ", "
        + written.html().getFileName());
    log.flush();
    return new Result(outcomes, written);
  }
}
