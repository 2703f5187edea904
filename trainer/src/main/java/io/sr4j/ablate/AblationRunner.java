package io.sr4j.ablate;

import io.sr4j.data.AtomicFiles;
import io.sr4j.data.BadInputException;
import io.sr4j.train.RunLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.saving.InMemoryResultSaver;
import org.deeplearning4j.arbiter.optimize.api.saving.ResultSaver;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxCandidatesCondition;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.BaseStatusListener;

/**
 * Runs an ablation or a search on Arbiter: validates every candidate first, then lets a {@link LocalOptimizationRunner}
 * (with {@code parallel} candidates at once) work through the generator's candidates with {@link CandidateTasks}, and
 * writes the results ({@link AblationResults}). The runner ends on {@code MaxCandidatesCondition(number of
 * candidates)}: an exhausted generator alone never ends Arbiter's {@code execute()}.
 */
public final class AblationRunner {
  /** {@code parallel}: candidates trained at once; {@code resume}: continue an ablation whose folder holds runs. */
  public record Options(int parallel, boolean resume, RunLog.Sink console, boolean terminal) {
    public Options {
      if (parallel < 1) {
        throw new BadInputException("--parallel " + parallel + ": expected at least 1");
      }
    }
  }

  /** How the candidates ended: trained now, skipped (already done), failed (with reasons by run name). */
  public record Summary(int candidates, int trained, int skipped, Map<String, String> failed, AblationResults.Written report) {}

  private AblationRunner() {}

  public static Summary run(AblationPlan plan, Options options) {
    int threads = options.parallel() > 1 ? Math.max(1, Runtime.getRuntime().availableProcessors() / options.parallel()) : 0;
    start(plan, threads, options.resume());
    InMemoryResultSaver saver = new InMemoryResultSaver();
    CandidateTasks tasks = new CandidateTasks(plan, threads, options.console(), options.terminal()
        && options.parallel() == 1, saver);
    LocalOptimizationRunner runner = new LocalOptimizationRunner(options.parallel(), configuration(plan, saver), tasks);
    Progress progress = new Progress(plan, options.console());
    runner.addListeners(progress);
    runner.execute();
    AblationResults.Written written = AblationResults.write(plan);
    options.console().println("results: " + written.markdown() + ", " + written.csv().getFileName() + ", "
        + written.json().getFileName() + ", " + written.curves().getFileName()
        + (written.grid() == null ? "" : ", " + written.grid().getFileName())
        + (written.bestConfig() == null ? "" : ", " + written.bestConfig().getFileName()));
    return new Summary(plan.size(), progress.trained, progress.skipped, progress.failed, written);
  }

  /**
   * Before the first candidate trains: every candidate's config is validated, the ablation folder must not hold runs
   * of an earlier start unless {@code resume}, and the spec is copied into it.
   */
  public static void start(AblationPlan plan, int numThreads, boolean resume) {
    plan.validate(numThreads, false);
    if (!resume) {
      for (AblationPlan.Candidate c : plan.candidates()) {
        if (Files.exists(plan.runDir(c))) {
          throw new BadInputException(plan.outDir() + " already holds runs of " + plan.name() + " (" + c.runName()
              + "); add --resume to continue it (finished candidates are kept), or remove the folder");
        }
      }
    }
    try {
      Files.createDirectories(plan.outDir());
      AtomicFiles.writeString(plan.outDir().resolve("spec.yml"), Files.readString(plan.specFile()));
    } catch (IOException e) {
      throw new BadInputException(plan.outDir() + ": cannot write (" + e.getMessage() + ")", e);
    }
  }

  /** How one candidate ended: its run folder's name, state (finished, stopped, failed), reason, and whether it was
   * already done before this call. */
  public record Trained(String runName, String state, String reason, boolean skipped) implements java.io.Serializable {}

  /**
   * Trains candidate {@code index} of {@code plan} as {@code sr ablate} does (skipped when done, otherwise resumed from
   * its newest checkpoint, a failure recorded in its candidate.json), outside Arbiter's local runner: for other
   * schedulers, e.g. one Spark task per candidate.
   */
  public static Trained trainOne(AblationPlan plan, int index, int numThreads, RunLog.Sink console) {
    CandidateTasks.Outcome o = new CandidateTasks(plan, numThreads, console, false, null)
        .train(plan.candidates().get(index));
    return new Trained(o.candidate().runName(), o.state().state(), o.state().reason(), o.skipped());
  }

  /**
   * Arbiter's configuration of a plan: its generator, the ranking direction, the result saver, and the termination
   * that ends the runner once every planned candidate has completed or failed (an exhausted grid alone does not).
   */
  static OptimizationConfiguration configuration(AblationPlan plan, ResultSaver saver) {
    OptimizationConfiguration.Builder conf = new OptimizationConfiguration.Builder()
        .candidateGenerator(plan.generator())
        .scoreFunction(new RankScore(!plan.higherIsBetter()))
        .modelSaver(saver)
        .terminationConditions(new MaxCandidatesCondition(plan.size()));
    if (plan.kind() == AblationPlan.Kind.TUNE) {
      conf.rngSeed(plan.searchSeed()); // the generator is seeded already; the same seed keeps its sequence
    }
    return conf.build();
  }

  /** The score direction; the task computes the score itself (the ranking key's last validation value). */
  static final class RankScore implements ScoreFunction {
    private static final long serialVersionUID = 1L;
    private final boolean minimize;

    RankScore(boolean minimize) {
      this.minimize = minimize;
    }

    @Override
    public double score(Object model, DataProvider dataProvider, Map<String, Object> dataParameters) {
      throw new UnsupportedOperationException("ablation tasks compute their score from the run's validation");
    }

    @Override
    public double score(Object model, Class<? extends DataSource> dataSource, java.util.Properties properties) {
      throw new UnsupportedOperationException("ablation tasks compute their score from the run's validation");
    }

    @Override
    public boolean minimize() {
      return minimize;
    }

    @Override
    public List<Class<?>> getSupportedModelTypes() {
      return List.of(Path.class);
    }

    @Override
    public List<Class<?>> getSupportedDataTypes() {
      return List.of(Object.class);
    }
  }

  /** Prints "candidate k of n" as Arbiter reports candidates starting and ending, and counts the outcomes. */
  static final class Progress extends BaseStatusListener {
    private final AblationPlan plan;
    private final RunLog.Sink console;
    private int trained;
    private int skipped;
    private final Map<String, String> failed = new TreeMap<>();

    Progress(AblationPlan plan, RunLog.Sink console) {
      this.plan = plan;
      this.console = console;
    }

    @Override
    public synchronized void onCandidateStatusChange(CandidateInfo info, IOptimizationRunner runner,
        OptimizationResult result) {
      if (info.getIndex() >= plan.size()) {
        return;
      }
      AblationPlan.Candidate c = plan.candidates().get(info.getIndex());
      String head = "candidate " + (c.index() + 1) + " of " + plan.size() + " (" + c.runName() + ")";
      if (info.getCandidateStatus() == CandidateStatus.Running) {
        console.println(head + ": " + (c.overrides().isEmpty() ? "base config" : describe(c)));
        return;
      }
      if (result == null || !(result.getModelSpecificResults() instanceof CandidateTasks.Outcome o)) {
        return;
      }
      String score = o.score() == null ? "no " + plan.rankKey() : String.format(Locale.ROOT, "%s %.4f",
          plan.rankKey(), o.score());
      if (o.state().state().equals(CandidateState.FAILED)) {
        failed.put(c.runName(), o.state().reason());
        console.println(head + ": failed: " + o.state().reason());
      } else if (o.skipped()) {
        skipped++;
        console.println(head + ": already " + o.state().state() + " (" + score + "), not trained again");
      } else {
        trained++;
        console.println(head + ": " + o.state().state() + " after " + o.state().iterations() + " iterations in "
            + RunLog.duration(o.state().seconds()) + ", " + score
            + (o.state().reason() == null ? "" : " (" + o.state().reason() + ")"));
      }
    }

    private static String describe(AblationPlan.Candidate c) {
      List<String> parts = new ArrayList<>();
      c.overrides().forEach((k, v) -> parts.add(k + "=" + v));
      return String.join(", ", parts);
    }
  }
}
