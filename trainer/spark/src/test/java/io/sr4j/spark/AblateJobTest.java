package io.sr4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sr4j.ablate.AblationPlan;
import io.sr4j.ablate.AblationRunner;
import io.sr4j.data.BadInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ablation candidates as Spark tasks give the runs and the results of the local sr ablate. */
class AblateJobTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static JavaSparkContext sc;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    sc = TestData.localSpark();
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  /** A tiny MSRResNet x2 base config (runs under root) and a 2-variant x 2-seed spec next to it. */
  private static Path spec(Path dir, Path root) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("base.yml"), """
        name: tiny
        scale: 2
        manual_seed: 3
        num_threads: 1
        datasets:
          train: {name: Set5, dataroot_gt: Set5, gt_size: 16, batch_size_per_gpu: 4, num_worker_per_gpu: 1}
          val: {name: Set5, dataroot_gt: Set5}
        network_g: {type: srresnet, style: msrresnet, scale: 2, num_feat: 8, num_block: 1}
        path: {experiments_root: %s}
        train:
          optim_g: {type: Adam, lr: 0.002}
          total_iter: 4
          pixel_opt: {type: L1Loss}
        val:
          val_freq: 2
          num_save_img: 1
          metrics: {psnr: {type: calculate_psnr, crop_border: 2}}
        logger: {print_freq: 1000, save_checkpoint_freq: 2, keep_checkpoints: 2}
        """.formatted(root));
    Path spec = dir.resolve("lr.yml");
    Files.writeString(spec, """
        base: base.yml
        grid:
          train.optim_g.lr: [0.001, 0.004]
        seeds: [1, 2]
        """);
    return spec;
  }

  private static AblateJob.Result run(Path spec, boolean resume, StringWriter log) {
    return AblateJob.run(sc, new AblateJob.Options(spec.toString(), AblationPlan.Kind.ABLATE, resume, 1),
        new PrintWriter(log, true));
  }

  @Test
  void candidatesTrainAsTasksIntoTheLocalRunFoldersWithTheLocalResults() throws IOException {
    Path spec = spec(dir.resolve("spark"), dir.resolve("spark-runs"));
    StringWriter log = new StringWriter();
    AblateJob.Result r = run(spec, false, log);
    assertEquals(4, r.candidates().size());
    for (AblationRunner.Trained t : r.candidates()) {
      assertEquals("finished", t.state(), log.toString());
      assertTrue(Files.isRegularFile(dir.resolve("spark-runs/lr").resolve(t.runName()).resolve("models/net_g_final.zip")),
          t.runName());
    }
    for (String f : new String[] {"results.md", "results.csv", "results.json", "curves.png", "report.html"}) {
      assertTrue(Files.size(dir.resolve("spark-runs/lr").resolve(f)) > 100, f);
    }

    // the same spec through the local command: the same candidates, the same values
    Path local = spec(dir.resolve("local"), dir.resolve("local-runs"));
    TestData.sr("ablate", local.toString());
    JsonNode a = JSON.readTree(dir.resolve("spark-runs/lr/results.json").toFile()).get("variants");
    JsonNode b = JSON.readTree(dir.resolve("local-runs/lr/results.json").toFile()).get("variants");
    assertEquals(2, a.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(b.get(i).get("name"), a.get(i).get("name"));
      assertEquals(b.get(i).get("stats"), a.get(i).get("stats"), "variant " + a.get(i).get("name"));
    }

    // again: refused without --resume; with it, nothing is trained again
    BadInputException e = assertThrows(BadInputException.class, () -> run(spec, false, new StringWriter()));
    assertTrue(e.getMessage().contains("--resume"), e.getMessage());
    StringWriter again = new StringWriter();
    AblateJob.Result resumed = run(spec, true, again);
    assertTrue(resumed.candidates().stream().allMatch(AblationRunner.Trained::skipped), again.toString());
    assertEquals(4, again.toString().lines().filter(l -> l.contains("not trained again")).count(), again.toString());
  }
}
