package io.sr4j.ablate;

import io.sr4j.data.BadInputException;
import io.sr4j.train.RunLog;
import io.sr4j.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.TaskCreator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.saving.ResultSaver;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;

/**
 * Arbiter's task creator for ablations: each candidate trains through the normal {@link Trainer} into its own run
 * folder, resuming from its newest checkpoint ("auto"); candidates already finished (or stopped by the budget) are not
 * trained again. A failure (a config that cannot be built, a missing input, a NaN loss) is recorded in candidate.json
 * and returned as a failed result; the search goes on. The task computes the score (the ranking key's last
 * validation value), saves the result and tells the status listeners, as Arbiter expects of a task.
 */
final class CandidateTasks implements TaskCreator {
  /** What happened to a candidate in this process; {@code skipped}: it was already done. */
  record Outcome(AblationPlan.Candidate candidate, Path runDir, CandidateState state, boolean skipped, Double score) {}

  private final AblationPlan plan;
  private final int numThreads;
  private final RunLog.Sink console;
  private final boolean terminal;
  private final ResultSaver saver;

  CandidateTasks(AblationPlan plan, int numThreads, RunLog.Sink console, boolean terminal, ResultSaver saver) {
    this.plan = plan;
    this.numThreads = numThreads;
    this.console = console;
    this.terminal = terminal;
    this.saver = saver;
  }

  @Override
  public Callable<OptimizationResult> create(Candidate candidate, DataProvider dataProvider, ScoreFunction scoreFunction,
      List<StatusListener> statusListeners, IOptimizationRunner runner) {
    return () -> run(candidate, statusListeners, runner);
  }

  @Override
  public Callable<OptimizationResult> create(Candidate candidate, Class<? extends DataSource> dataSource,
      Properties dataSourceProperties, ScoreFunction scoreFunction, List<StatusListener> statusListeners,
      IOptimizationRunner runner) {
    return () -> run(candidate, statusListeners, runner);
  }

  private OptimizationResult run(Candidate candidate, List<StatusListener> listeners, IOptimizationRunner runner)
      throws IOException {
    int k = candidate.getIndex();
    long created = System.currentTimeMillis();
    if (k >= plan.size()) { // a random search may queue one more than max_candidates while the last ones run
      CandidateInfo info = new CandidateInfo(k, CandidateStatus.Cancelled, null, created, created, created,
          candidate.getFlatParameters(), null);
      return new OptimizationResult(candidate, null, k, null, info, null);
    }
    AblationPlan.Candidate c = plan.candidate(candidate);
    CandidateInfo running = new CandidateInfo(k, CandidateStatus.Running, null, created, created, null,
        candidate.getFlatParameters(), null);
    listeners.forEach(l -> l.onCandidateStatusChange(running, runner, null));
    Outcome outcome = train(c);
    boolean failed = outcome.state().state().equals(CandidateState.FAILED);
    CandidateInfo info = new CandidateInfo(k, failed ? CandidateStatus.Failed : CandidateStatus.Complete,
        outcome.score(), created, created, System.currentTimeMillis(), candidate.getFlatParameters(),
        failed ? outcome.state().reason() : null);
    OptimizationResult result = new OptimizationResult(candidate, outcome.score(), k, outcome, info, null);
    result.setResultReference(saver.saveModel(result, outcome.runDir()));
    listeners.forEach(l -> l.onCandidateStatusChange(info, runner, result));
    return result;
  }

  /** Trains (or skips) one candidate and records how it ended. */
  Outcome train(AblationPlan.Candidate c) {
    Path runDir = plan.runDir(c);
    CandidateState before = CandidateState.read(runDir);
    if (before != null && before.done()) {
      return new Outcome(c, runDir, before, true, score(runDir));
    }
    String prefix = "[" + (c.index() + 1) + "/" + plan.size() + " " + c.runName() + "] ";
    TimeBudget budget = new TimeBudget(plan.spec().budget().maxMinutes(), before == null ? 0 : before.seconds(), runDir, c);
    CandidateState state;
    try {
      AblationPlan.Prepared p = plan.prepare(c, numThreads, false);
      Trainer.Result r = new Trainer(p.plan(), line -> console.println(prefix + line), terminal).listen(budget)
          .run("auto");
      state = new CandidateState(r.stopReason() == null ? CandidateState.FINISHED : CandidateState.STOPPED,
          r.stopReason(), r.iterations(), budget.seconds());
    } catch (RuntimeException e) {
      String reason = e instanceof BadInputException ? e.getMessage()
          : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      state = new CandidateState(CandidateState.FAILED, reason, CandidateState.trainedIterations(runDir),
          budget.seconds());
    }
    state.write(runDir, c);
    return new Outcome(c, runDir, state, false, score(runDir));
  }

  private Double score(Path runDir) {
    return RunMetrics.read(runDir, List.of(plan.rankKey())).last(plan.rankKey());
  }
}
