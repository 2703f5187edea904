package io.sr4j.ablate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.TaskCreator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.saving.InMemoryResultSaver;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxCandidatesCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxTimeCondition;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.parameter.BooleanSpace;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Arbiter 1.0.0-beta7's traps, each shown on Arbiter itself and then avoided by the project's ablation code: BooleanSpace
 * duplicates in a grid, single-valued spaces failing in a grid, an exhausted grid not ending the runner, RandomOrder
 * not following the seed, MaxTimeCondition not interrupting a running candidate.
 */
class ArbiterTrapsTest {
  @TempDir Path dir;

  private static List<Object> all(CandidateGenerator g) {
    List<Object> out = new ArrayList<>();
    while (g.hasMoreCandidates()) {
      Candidate<?> c = g.getCandidate();
      out.add(c.getException() != null ? c.getException() : c.getValue());
    }
    return out;
  }

  private AblationPlan plan(String specBody) {
    TinyAblation.base(dir, 2, 2, 2);
    return AblationPlan.read(TinyAblation.write(dir.resolve("spec.yml"), "base: base.yml\n" + specBody),
        specBody.contains("search:") ? AblationPlan.Kind.TUNE : AblationPlan.Kind.ABLATE);
  }

  @Test
  void booleanSpaceInAGridDuplicatesValuesButAYamlBooleanListDoesNot() {
    GridSearchCandidateGenerator trap = new GridSearchCandidateGenerator(new BooleanSpace(), 3,
        GridSearchCandidateGenerator.Mode.Sequential, null);
    assertEquals(List.of(true, true, false), all(trap), "Arbiter's BooleanSpace is discretised like a continuous one");

    AblationPlan plan = plan("grid: {train.use_grad_clip_dummy: [true, false]}\n".replace("train.use_grad_clip_dummy",
        "datasets.train.use_hflip"));
    List<Object> hflips = plan.candidates().stream().map(c -> (Object) c.overrides().get("datasets.train.use_hflip")
        .asBoolean()).toList();
    assertEquals(List.of(true, false), hflips);
    for (ParameterSpace<?> leaf : plan.generator().getParameterSpace().collectLeaves()) {
      assertFalse(leaf instanceof BooleanSpace, "booleans are a discrete space of their values");
    }
  }

  @Test
  void singleValuedSpacesFailInAGridSoOneValueIsAFixedValue() {
    GridSearchCandidateGenerator trap = new GridSearchCandidateGenerator(new IntegerParameterSpace(4, 4), 3,
        GridSearchCandidateGenerator.Mode.Sequential, null);
    List<Object> out = all(trap);
    assertEquals(1, out.size());
    assertInstanceOf(ArrayIndexOutOfBoundsException.class, out.get(0), "min == max: the candidate fails");

    AblationPlan plan = plan("grid: {train.optim_g.lr: [0.001], network_g.num_feat: [4, 8]}\nseeds: [7]\n");
    assertEquals(2, plan.candidates().size());
    for (AblationPlan.Candidate c : plan.candidates()) {
      assertEquals(0.001, c.overrides().get("train.optim_g.lr").asDouble(), 0);
      assertEquals(7, c.seed());
    }
    long fixed = plan.generator().getParameterSpace().getNestedSpaces().values().stream()
        .filter(l -> l instanceof FixedValue).count();
    assertEquals(2, fixed, "the one-value grid key and the one seed are FixedValues");
    AblationPlan tune = plan("search: {network_g.num_feat: {integer: [4, 4]}, train.optim_g.lr: {log_uniform: "
        + "[1.0e-4, 1.0e-2]}}\nmax_candidates: 3\n");
    tune.candidates().forEach(c -> assertEquals(4, c.overrides().get("network_g.num_feat").asInt()));
  }

  /**
   * A task creator whose candidates take {@code millis}; {@code interrupted} tells whether one was interrupted,
   * {@code done} whether one got to its end.
   */
  private static TaskCreator sleeping(long millis, AtomicBoolean interrupted, AtomicBoolean done) {
    return new TaskCreator() {
      @Override
      public Callable<OptimizationResult> create(Candidate c, DataProvider d, ScoreFunction s,
          List<StatusListener> l, IOptimizationRunner r) {
        return () -> {
          try {
            Thread.sleep(millis);
          } catch (InterruptedException e) {
            interrupted.set(true);
          }
          done.set(true);
          long now = System.currentTimeMillis();
          return new OptimizationResult(c, 1.0, c.getIndex(), null,
              new CandidateInfo(c.getIndex(), CandidateStatus.Complete, 1.0, now, now, now, null, null), null);
        };
      }

      @Override
      public Callable<OptimizationResult> create(Candidate c, Class<? extends DataSource> d, Properties p,
          ScoreFunction s, List<StatusListener> l, IOptimizationRunner r) {
        return create(c, (DataProvider) null, s, l, r);
      }
    };
  }

  private static TaskCreator instant() {
    return sleeping(0, new AtomicBoolean(), new AtomicBoolean());
  }

  private static double secondsToExecute(LocalOptimizationRunner runner) {
    long t0 = System.nanoTime();
    runner.execute();
    return (System.nanoTime() - t0) / 1e9;
  }

  @Test
  void anExhaustedGridDoesNotEndTheRunnerUnlessMaxCandidatesSaysSo() {
    GridSearchCandidateGenerator grid = new GridSearchCandidateGenerator(new DiscreteParameterSpace<>(1, 2), 1,
        GridSearchCandidateGenerator.Mode.Sequential, null);
    OptimizationConfiguration trapConf = new OptimizationConfiguration.Builder().candidateGenerator(grid)
        .scoreFunction(new AblationRunner.RankScore(false)).modelSaver(new InMemoryResultSaver())
        .terminationConditions(new MaxTimeCondition(4, TimeUnit.SECONDS)).build();
    LocalOptimizationRunner trap = new LocalOptimizationRunner(1, trapConf, instant());
    double trapSeconds = secondsToExecute(trap);
    assertEquals(2, trap.numCandidatesCompleted());
    assertTrue(trapSeconds >= 3.5, "both candidates were done at once, yet execute() ran until the 4 s limit: "
        + trapSeconds + " s");

    AblationPlan plan = plan("grid: {network_g.num_feat: [4, 8]}\n");
    OptimizationConfiguration conf = AblationRunner.configuration(plan, new InMemoryResultSaver());
    assertEquals(List.of(2), conf.getTerminationConditions().stream().filter(t -> t instanceof MaxCandidatesCondition)
        .map(t -> ((MaxCandidatesCondition) t).getMaxCandidates()).toList());
    LocalOptimizationRunner ours = new LocalOptimizationRunner(1, conf, instant());
    double seconds = secondsToExecute(ours);
    assertEquals(2, ours.numCandidatesCompleted());
    assertTrue(seconds < 3, "the project's runner ends with its last candidate: " + seconds + " s");
  }

  @Test
  void randomOrderIgnoresTheSeedSoGridsAreSequentialAndSearchesSeeded() {
    List<Integer> values = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      values.add(i);
    }
    List<List<Object>> orders = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      Map<String, ParameterSpace<?>> leaves = new java.util.LinkedHashMap<>();
      leaves.put("a", new DiscreteParameterSpace<>(values));
      leaves.put("b", new DiscreteParameterSpace<>(values));
      GridSearchCandidateGenerator g = new GridSearchCandidateGenerator(new OverrideSpace(leaves), 1,
          GridSearchCandidateGenerator.Mode.RandomOrder, null);
      new OptimizationConfiguration.Builder().candidateGenerator(g).rngSeed(42)
          .terminationConditions(new MaxCandidatesCondition(64)).build(); // applies the seed, after the shuffle
      orders.add(all(g));
    }
    assertEquals(64, orders.get(0).size());
    assertNotEquals(orders.get(0), orders.get(1), "two RandomOrder grids with seed 42 gave the same 64! order");

    AblationPlan grid = plan("grid: {network_g.num_feat: [4, 8], train.optim_g.lr: [0.001, 0.002]}\nseeds: [1, 2]\n");
    List<String> names = grid.candidates().stream().map(AblationPlan.Candidate::runName).toList();
    assertEquals(List.of("num_feat-4_lr-0.001_s1", "num_feat-8_lr-0.001_s1", "num_feat-4_lr-0.002_s1",
        "num_feat-8_lr-0.002_s1", "num_feat-4_lr-0.001_s2", "num_feat-8_lr-0.001_s2", "num_feat-4_lr-0.002_s2",
        "num_feat-8_lr-0.002_s2"), names, "sequential: the first key varies fastest, seeds slowest");

    String search = "search: {train.optim_g.lr: {log_uniform: [1.0e-4, 1.0e-2]}, datasets.train.batch_size_per_gpu: "
        + "{choice: [2, 4, 8]}}\nmax_candidates: 5\nseed: %d\n";
    List<Map<String, JsonNode>> a = plan(search.formatted(11)).candidates().stream()
        .map(AblationPlan.Candidate::overrides).toList();
    List<Map<String, JsonNode>> b = plan(search.formatted(11)).candidates().stream()
        .map(AblationPlan.Candidate::overrides).toList();
    List<Map<String, JsonNode>> c = plan(search.formatted(12)).candidates().stream()
        .map(AblationPlan.Candidate::overrides).toList();
    assertEquals(a, b, "the same seed draws the same candidates");
    assertNotEquals(a, c, "another seed draws others");
    for (Map<String, JsonNode> o : a) {
      double lr = o.get("train.optim_g.lr").asDouble();
      assertTrue(lr >= 1e-4 && lr <= 1e-2, "log-uniform range: " + lr);
      assertTrue(List.of(2, 4, 8).contains(o.get("datasets.train.batch_size_per_gpu").asInt()));
    }
  }

  @Test
  void maxTimeDoesNotInterruptARunningCandidateSoTheBudgetIsEnforcedInsideTheRun() {
    GridSearchCandidateGenerator one = new GridSearchCandidateGenerator(new DiscreteParameterSpace<>(1, 2), 1,
        GridSearchCandidateGenerator.Mode.Sequential, null);
    OptimizationConfiguration trapConf = new OptimizationConfiguration.Builder().candidateGenerator(one)
        .scoreFunction(new AblationRunner.RankScore(false)).modelSaver(new InMemoryResultSaver())
        .terminationConditions(new MaxTimeCondition(2, TimeUnit.SECONDS)).build();
    AtomicBoolean interrupted = new AtomicBoolean();
    AtomicBoolean done = new AtomicBoolean();
    long t0 = System.nanoTime();
    LocalOptimizationRunner trap = new LocalOptimizationRunner(1, trapConf, sleeping(4000, interrupted, done));
    trap.execute();
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (!done.get() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    double ranFor = (System.nanoTime() - t0) / 1e9;
    assertTrue(done.get(), "the candidate ran to its end");
    assertFalse(interrupted.get(), "the 2 s limit never interrupted it");
    assertTrue(ranFor >= 4, "it ran past the limit: " + ranFor + " s");

    // the project's budget: a 0.0005 min (30 ms) limit stops a 1000-iteration candidate inside its run, resumable
    AblationPlan plan = plan("grid: {train.optim_g.lr: [0.001, 0.002]}\nbudget: {iterations: 1000, max_minutes: 0.0005}\n");
    CandidateTasks tasks = new CandidateTasks(plan, 0, line -> {}, false, new InMemoryResultSaver());
    CandidateTasks.Outcome o = tasks.train(plan.candidates().get(0));
    assertEquals(CandidateState.STOPPED, o.state().state());
    assertTrue(o.state().reason().contains("wall-clock budget"), o.state().reason());
    assertTrue(o.state().iterations() < 1000, "stopped at " + o.state().iterations());
    assertTrue(java.nio.file.Files.exists(o.runDir().resolve("checkpoints").resolve(String.format("iter_%08d.zip",
        o.state().iterations()))), "a checkpoint to continue from");
    assertNull(CandidateState.read(plan.runDir(plan.candidates().get(1))), "only the first candidate ran");
  }
}
