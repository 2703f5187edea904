package io.sr4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sr4j.config.ConfigLoader;
import io.sr4j.config.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "Best" follows the metric's direction: the lowest NIQE, the highest PSNR. */
class BestMetricTest {
  @TempDir Path dir;

  @Test
  void directionsOfTheCandidateRule() {
    TrainingState s = new TrainingState(0, 0, "Set5_niqe", null, null, "x", null);
    TrainingState a = s.withCandidate(7.0, 1, false);
    assertSame(a, a.withCandidate(7.5, 2, false), "a higher NIQE is not better");
    assertEquals(6.5, a.withCandidate(6.5, 3, false).bestValue());
    assertSame(a, a.withCandidate(Double.NaN, 4, false), "an undefined value never wins");
    TrainingState p = s.withCandidate(30.0, 1, true);
    assertEquals(31.0, p.withCandidate(31.0, 2, true).bestValue());
    assertSame(p, p.withCandidate(29.0, 2, true));
  }

  @Test
  void withOnlyNiqeConfiguredTheBestCheckpointHasTheLowestNiqe() throws IOException {
    Path yml = dir.resolve("niqe.yml");
    Files.writeString(yml, """
        name: niqe
        scale: 3
        manual_seed: 2
        datasets:
          train: {type: SRCNNSubImageDataset, dataroot_gt: T91, batch_size_per_gpu: 16, num_worker_per_gpu: 1}
          val: {name: Set5, dataroot_gt: Set5}
        network_g: {type: srcnn, scale: 3, num_in_ch: 1, kernel_sizes: [5, 1, 3], num_feat: [8, 4], padding: valid}
        path: {experiments_root: %s}
        train: {optim_g: {type: Adam, lr: 0.01}, total_iter: 5, pixel_opt: {type: MSELoss}}
        val: {val_freq: 1, save_img: false, metrics: {niqe: {type: calculate_niqe}}}
        logger: {print_freq: 5, save_checkpoint_freq: 100, keep_checkpoints: 10}
        """.formatted(dir.resolve("runs")));
    TrainConfig cfg = ConfigLoader.load(yml, List.of());
    Trainer.Result r = new Trainer(RunSetup.prepare(cfg, RunSetup.Source.of(yml, List.of()), null),
        new ArrayList<String>()::add).run(null);
    List<Double> niqe = new ArrayList<>();
    List<Long> iters = new ArrayList<>();
    for (String line : Files.readAllLines(r.runDir().resolve("metrics.jsonl"))) {
      Map<?, ?> m = new ObjectMapper().readValue(line, Map.class);
      if (m.get("Set5_niqe") instanceof Number n) {
        niqe.add(n.doubleValue());
        iters.add(((Number) m.get("iter")).longValue());
      }
    }
    assertEquals(5, niqe.size());
    double lowest = niqe.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    assertTrue(niqe.stream().distinct().count() > 1, "NIQE changes over the run: " + niqe);
    assertEquals("Set5_niqe", r.state().bestKey());
    assertEquals(lowest, r.state().bestValue(), 0);
    assertEquals(iters.get(niqe.indexOf(lowest)), r.state().bestIteration());
    RunCheckpoints.Restored best = RunCheckpoints.restore(r.runDir().resolve("checkpoints/best.zip"));
    assertEquals(iters.get(niqe.indexOf(lowest)), best.state().iteration());
    Map<?, ?> status = new ObjectMapper().readValue(r.runDir().resolve("status.json").toFile(), Map.class);
    assertEquals("finished", status.get("state"));
    assertEquals(false, ((Map<?, ?>) status.get("best")).get("higher_is_better"));
  }
}
