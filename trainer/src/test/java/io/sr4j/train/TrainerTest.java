package io.sr4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sr4j.ckpt.Checkpoint;
import io.sr4j.config.ConfigLoader;
import io.sr4j.config.TrainConfig;
import io.sr4j.data.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class TrainerTest {
  @TempDir Path dir;

  /** A small SRCNN x3 run on the bundled T91 sub-images, validated on Set5. */
  private TrainConfig config(String name, String... overrides) throws IOException {
    Path yml = dir.resolve(name + ".yml");
    Files.writeString(yml, """
        name: %s
        scale: 3
        manual_seed: 5
        datasets:
          train: {type: SRCNNSubImageDataset, dataroot_gt: T91, batch_size_per_gpu: 16, num_worker_per_gpu: 1}
          val: {name: Set5, dataroot_gt: Set5}
        network_g: {type: srcnn, scale: 3, num_in_ch: 1, kernel_sizes: [5, 1, 3], num_feat: [16, 8], padding: valid}
        path: {experiments_root: %s}
        train:
          optim_g: {type: Adam, lr: 0.001, lr_multipliers: {conv3: 0.1}}
          scheduler: {type: MultiStepLR, milestones: [4], gamma: 0.5}
          total_iter: 6
          pixel_opt: {type: MSELoss}
          ema_decay: 0.9
        val: {val_freq: 1000, save_img: false, metrics: {psnr: {type: calculate_psnr}}}
        logger: {print_freq: 2, save_checkpoint_freq: 3, keep_checkpoints: 5}
        """.formatted(name, dir.resolve("runs")));
    return ConfigLoader.load(yml, List.of(overrides));
  }

  private static Trainer.Result train(TrainConfig cfg, String resume) {
    List<String> lines = new ArrayList<>();
    return new Trainer(RunSetup.prepare(cfg, RunSetup.Source.of(null, List.of()), resume), lines::add).run(resume);
  }

  private static INDArray finalParams(Path runDir, String file) {
    return Checkpoint.read(runDir.resolve("models").resolve(file), false).network().params();
  }

  @Test
  void stoppingAndResumingGivesTheSameWeightsAsOneRun() throws IOException {
    Trainer.Result whole = train(config("whole"), null);
    assertEquals(6, whole.iterations());

    Trainer.Result first = train(config("parts", "train.total_iter=3"), null);
    assertEquals(3, first.iterations());
    Trainer.Result rest = train(config("parts"), "auto");
    assertEquals(6, rest.iterations());

    INDArray a = finalParams(whole.runDir(), "net_g_final.zip");
    INDArray b = finalParams(rest.runDir(), "net_g_final.zip");
    assertEquals(0.0, a.sub(b).amaxNumber().doubleValue(), 0.0, "raw weights bit-identical");
    INDArray emaA = finalParams(whole.runDir(), "net_g_ema_final.zip");
    INDArray emaB = finalParams(rest.runDir(), "net_g_ema_final.zip");
    assertEquals(0.0, emaA.sub(emaB).amaxNumber().doubleValue(), 0.0, "EMA weights bit-identical");
    assertTrue(a.sub(emaA).amaxNumber().doubleValue() > 0, "EMA differs from the raw weights");

    // the metrics history of the resumed run is continuous
    List<String> lines = Files.readAllLines(rest.runDir().resolve("metrics.jsonl"));
    List<Long> iters = new ArrayList<>();
    for (String l : lines) {
      iters.add(((Number) new ObjectMapper().readValue(l, Map.class).get("iter")).longValue());
    }
    assertTrue(iters.containsAll(List.of(2L, 4L, 6L)), iters.toString());
  }

  /**
   * CoBi on misaligned pairs: the loss samples new patch positions every step from the seed and the iteration, and
   * the data moves HR crops at random; resuming must redraw both exactly.
   */
  @Test
  void resumingACobiRunOnMisalignedPairsGivesTheSameWeightsAsOneRun() throws IOException {
    String yaml = """
        name: %s
        scale: 2
        manual_seed: 3
        datasets:
          train: {dataroot_gt: T91, gt_size: 24, batch_size_per_gpu: 2, num_worker_per_gpu: 1, misalign_px: 2}
          val: {name: Set5, dataroot_gt: Set5}
        network_g: {type: srresnet, style: msrresnet, scale: 2, num_feat: 8, num_block: 1}
        path: {experiments_root: %s}
        train:
          total_iter: 4
          cobi_opt: {type: CoBiLoss, layer_weights: {}, rgb_weight: 1, patch_size: 3, max_sampling_1d_size: 8}
        val: {val_freq: 1000, save_img: false, metrics: {psnr: {type: calculate_psnr}}}
        logger: {print_freq: 1, save_checkpoint_freq: 2, keep_checkpoints: 5}
        """;
    Path whole = dir.resolve("cobi-whole.yml");
    Files.writeString(whole, yaml.formatted("cobi_whole", dir.resolve("runs")));
    Path parts = dir.resolve("cobi-parts.yml");
    Files.writeString(parts, yaml.formatted("cobi_parts", dir.resolve("runs")));
    Trainer.Result one = train(ConfigLoader.load(whole, List.of()), null);
    train(ConfigLoader.load(parts, List.of("train.total_iter=2")), null);
    Trainer.Result resumed = train(ConfigLoader.load(parts, List.of()), "auto");
    assertEquals(4, resumed.iterations());
    INDArray a = finalParams(one.runDir(), "net_g_final.zip");
    INDArray b = finalParams(resumed.runDir(), "net_g_final.zip");
    assertEquals(0.0, a.sub(b).amaxNumber().doubleValue(), 0.0, "bit-identical weights");
    assertTrue(Files.readString(one.runDir().resolve("metrics.jsonl")).contains("l_cobi"));
  }

  /** A short run of the shipped quickstart config (fewer, smaller batches) beats bicubic (Set5 x3 30.39 dB). */
  @Test
  void shortQuickstartRunBeatsBicubic() throws IOException {
    TrainConfig cfg = ConfigLoader.load(Path.of("../configs/quickstart.yml"), List.of("name=short",
        "path.experiments_root=" + dir.resolve("runs"), "datasets.train.batch_size_per_gpu=64", "train.total_iter=700",
        "train.scheduler.milestones=[600]", "val.val_freq=350", "logger.save_checkpoint_freq=700"));
    Trainer.Result r = train(cfg, null);
    double psnr = r.lastValidation().get("Set5_psnr");
    assertTrue(psnr > 30.39 + 0.1, "Set5 x3 PSNR after 700 iterations: " + psnr);
    assertTrue(Files.exists(r.runDir().resolve("validation_psnr.png")), "validation plot");
    assertTrue(Files.exists(r.runDir().resolve("losses.png")), "loss plot");
    assertTrue(Files.exists(r.runDir().resolve("checkpoints/best.zip")), "best checkpoint");
    assertEquals(700L, r.state().bestIteration());
  }

  @Test
  void freshRunRefusesAFolderWithCheckpointsAndAutoSkipsDamagedOnes() throws IOException {
    TrainConfig cfg = config("again");
    train(cfg, null);
    BadInputException e = assertThrows(BadInputException.class, () -> train(cfg, null));
    assertTrue(e.getMessage().contains("--resume auto"), e.getMessage());
    Path ckpts = dir.resolve("runs/again/checkpoints");
    assertTrue(Files.exists(ckpts.resolve("iter_00000006.zip")));
    Files.writeString(ckpts.resolve("iter_00000009.zip"), "half-written");
    Trainer.Result r = train(config("again", "train.total_iter=8"), "auto");
    assertEquals(8, r.iterations(), "resumed from iteration 6, skipping the damaged iteration-9 file");
  }

  @Test
  void nonFiniteLossStopsWithTheLastCheckpointIntact() throws IOException {
    TrainConfig cfg = config("nan", "train.optim_g.type=SGD", "train.optim_g.lr=1e6", "train.total_iter=50",
        "logger.save_checkpoint_freq=1", "train.ema_decay=0");
    NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> train(cfg, null));
    assertTrue(e.getMessage().contains("iteration") && e.getMessage().contains("intact"), e.getMessage());
    RunCheckpoints ckpts = new RunCheckpoints(dir.resolve("runs/nan/checkpoints"), 5);
    Path newest = ckpts.list().get(0);
    RunCheckpoints.Restored r = RunCheckpoints.restore(newest);
    double largest = r.generator().params().amaxNumber().doubleValue();
    assertTrue(Double.isFinite(largest), "the last checkpoint holds finite weights, largest |w| = " + largest);
  }
}
