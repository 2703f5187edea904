package io.sr4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sr4j.ckpt.Checkpoint;
import io.sr4j.config.ConfigException;
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
import org.nd4j.linalg.api.ndarray.INDArray;

/** GAN training on tiny networks: both losses move, G moves, and resuming reproduces G, D, both optimizers and the EMA. */
class GanTrainerTest {
  @TempDir Path dir;

  private TrainConfig config(String name, String... overrides) throws IOException {
    Path yml = dir.resolve(name + ".yml");
    Files.writeString(yml, """
        name: %s
        model_type: ESRGANModel
        scale: 4
        manual_seed: 3
        datasets:
          train: {dataroot_gt: Set14, gt_size: 32, batch_size_per_gpu: 2, num_worker_per_gpu: 1}
          val: {name: Set5, dataroot_gt: Set5}
        network_g: {type: rrdbnet, scale: 4, num_feat: 8, num_block: 1, num_grow_ch: 4}
        network_d: {type: vgg128, num_feat: 4, input_size: 32}
        path: {experiments_root: %s}
        train:
          ema_decay: 0.9
          optim_g: {type: Adam, lr: 0.001, betas: [0.9, 0.99]}
          optim_d: {type: Adam, lr: 0.001, betas: [0.9, 0.99]}
          scheduler: {type: MultiStepLR, milestones: [3], gamma: 0.5}
          total_iter: 6
          pixel_opt: {type: L1Loss, loss_weight: 0.01}
          perceptual_opt: {layer_weights: {conv2_2: 1.0}, random_weights: true}
          gan_opt: {gan_type: vanilla, loss_weight: 0.005}
        val: {val_freq: 1000, save_img: false, metrics: {psnr: {type: calculate_psnr}}}
        logger: {print_freq: 1, save_checkpoint_freq: 3, keep_checkpoints: 5}
        """.formatted(name, dir.resolve("runs")));
    return ConfigLoader.load(yml, List.of(overrides));
  }

  private static Trainer.Result train(TrainConfig cfg, String resume) {
    List<String> lines = new ArrayList<>();
    return new Trainer(RunSetup.prepare(cfg, RunSetup.Source.of(null, List.of()), resume), lines::add).run(resume);
  }

  private static Map<?, ?> logged(Path runDir, long iter) throws IOException {
    for (String l : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
      Map<?, ?> m = new ObjectMapper().readValue(l, Map.class);
      if (((Number) m.get("iter")).longValue() == iter && m.containsKey("l_d_real")) {
        return m;
      }
    }
    throw new AssertionError("no losses logged at iteration " + iter);
  }

  @Test
  void lossesChangeGeneratorMovesAndResumeIsExact() throws IOException {
    Trainer.Result whole = train(config("whole"), null);
    Map<?, ?> first = logged(whole.runDir(), 1);
    Map<?, ?> last = logged(whole.runDir(), 6);
    for (String key : List.of("l_g_pix", "l_g_percep", "l_g_gan", "l_d_real", "l_d_fake")) {
      assertNotEquals(first.get(key), last.get(key), key + " changes during training");
    }
    RunCheckpoints.Restored start = RunCheckpoints.restore(whole.runDir().resolve("checkpoints/iter_00000003.zip"));
    INDArray g3 = start.generator().params();
    INDArray g6 = Checkpoint.read(whole.runDir().resolve("models/net_g_final.zip"), false).network().params();
    assertTrue(g6.sub(g3).amaxNumber().doubleValue() > 0, "G's parameters move");
    assertEquals("random", start.state().vggWeights(), "the run records that VGG features were random");

    train(config("parts", "train.total_iter=3"), null);
    Trainer.Result rest = train(config("parts"), "auto");
    RunCheckpoints.Restored a = RunCheckpoints.restore(whole.runDir().resolve("checkpoints/iter_00000006.zip"));
    RunCheckpoints.Restored b = RunCheckpoints.restore(rest.runDir().resolve("checkpoints/iter_00000006.zip"));
    assertEquals(0.0, a.generator().params().sub(b.generator().params()).amaxNumber().doubleValue(), 0.0, "G");
    assertEquals(0.0, a.discriminator().params().sub(b.discriminator().params()).amaxNumber().doubleValue(), 0.0, "D");
    assertEquals(0.0, a.ema().sub(b.ema()).amaxNumber().doubleValue(), 0.0, "EMA");
    assertEquals(0.0, a.generator().getUpdater().getStateViewArray()
        .sub(b.generator().getUpdater().getStateViewArray()).amaxNumber().doubleValue(), 0.0, "G's Adam state");
    assertEquals(0.0, a.discriminator().getUpdater().getStateViewArray()
        .sub(b.discriminator().getUpdater().getStateViewArray()).amaxNumber().doubleValue(), 0.0, "D's Adam state");
  }

  @Test
  void refusesToStartWithoutVggWeightsAndNamesWhereToGetThem() throws IOException {
    ConfigException e = assertThrows(ConfigException.class,
        () -> train(config("novgg", "train.perceptual_opt.random_weights=false"), null));
    assertTrue(e.getMessage().contains("train.perceptual_opt.weights") && e.getMessage().contains("vgg19-dcbb9e9d.pth"),
        e.getMessage());
  }

  @Test
  void discriminatorPatchSizeMustMatchGtSize() throws IOException {
    ConfigException e = assertThrows(ConfigException.class, () -> train(config("size", "datasets.train.gt_size=64"), null));
    assertTrue(e.getMessage().contains("gt_size: 64") && e.getMessage().contains("32x32"), e.getMessage());
  }
}
