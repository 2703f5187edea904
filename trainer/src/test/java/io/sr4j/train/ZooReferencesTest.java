package io.sr4j.train;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.sr4j.ckpt.WeightsZoo;
import io.sr4j.config.ConfigLoader;
import io.sr4j.config.TrainConfig;
import io.sr4j.data.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configs name zoo entries ({@code zoo:vgg19}, {@code zoo:esrgan-x4}); until the file is downloaded, training stops
 * with the command that downloads it. Tests run with SR4J_HOME in target/, whose cache starts empty.
 */
class ZooReferencesTest {
  @TempDir Path dir;

  private static void assumeNotDownloaded(String name) {
    WeightsZoo zoo = WeightsZoo.standard();
    assumeFalse(Files.exists(zoo.cachedFile(zoo.entry(name))), name + " is in the cache " + zoo.cacheDir());
  }

  @Test
  void theShippedGanConfigsUseZooVgg19AndSayHowToGetIt() {
    assumeNotDownloaded("vgg19");
    for (String config : List.of("esrgan_x4.yml", "srgan_x4.yml")) {
      Path file = Path.of(System.getProperty("sr4j.home"), "configs", config);
      TrainConfig cfg = ConfigLoader.load(file, List.of());
      List<String> missing = RunSetup.plan(cfg, RunSetup.Source.of(file, List.of()), null).missingInputs();
      assertTrue(missing.stream().anyMatch(m -> m.startsWith("train.perceptual_opt.weights: zoo:vgg19 is not downloaded")
          && m.endsWith("./sr weights download vgg19")), config + ": " + missing);
    }
  }

  @Test
  void aPretrainedGeneratorFromTheZooMustBeDownloadedFirst() throws IOException {
    assumeNotDownloaded("rrdb-psnr-x4");
    Path yml = dir.resolve("zoo.yml");
    Files.writeString(yml, """
        name: zoo
        scale: 4
        datasets:
          train: {dataroot_gt: Set5, gt_size: 32, batch_size_per_gpu: 2, num_worker_per_gpu: 1}
        network_g: {type: rrdbnet, scale: 4, num_feat: 8, num_block: 1, num_grow_ch: 4}
        path: {experiments_root: %s, pretrain_network_g: 'zoo:rrdb-psnr-x4'}
        train: {total_iter: 1, pixel_opt: {type: L1Loss}}
        """.formatted(dir.resolve("runs")));
    TrainConfig cfg = ConfigLoader.load(yml, List.of());
    BadInputException e = assertThrows(BadInputException.class,
        () -> RunSetup.prepare(cfg, RunSetup.Source.of(yml, List.of()), null));
    assertTrue(e.getMessage().startsWith("path.pretrain_network_g: zoo:rrdb-psnr-x4 is not downloaded")
        && e.getMessage().endsWith("./sr weights download rrdb-psnr-x4"), e.getMessage());
  }
}
