package io.sr4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.config.ConfigLoader;
import io.sr4j.config.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every config in configs/ loads, and its networks build with the options it gives. */
class ShippedConfigsTest {
  @Test
  void everyShippedConfigIsValid() throws IOException {
    List<Path> configs;
    try (Stream<Path> s = Files.list(Path.of("../configs"))) {
      configs = s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
    assertEquals(10, configs.size(), configs.toString());
    for (Path c : configs) {
      TrainConfig cfg = ConfigLoader.load(c, List.of());
      Trainer.Built g = Trainer.buildGenerator(cfg);
      assertEquals(cfg.scale(), g.options().upscale(), c.toString());
      if (cfg.isGan()) {
        assertTrue(Trainer.buildDiscriminator(cfg).getVertices().size() > 5, c.toString());
        GanParts.checkDiscriminatorInput(cfg);
        assertTrue(cfg.train().perceptualOpt().weights() != null || cfg.train().perceptualOpt().randomWeights(), c.toString());
      }
    }
  }

  @Test
  void weightEmaIsOnByDefaultOnlyForGanTraining() throws IOException {
    assertEquals(0, ConfigLoader.load(Path.of("../configs/rrdb_psnr_x4_cpu.yml"), List.of()).emaDecay(), 0);
    assertEquals(0.999, ConfigLoader.load(Path.of("../configs/srgan_x4_cpu.yml"), List.of()).emaDecay(), 0);
    assertEquals(0, ConfigLoader.load(Path.of("../configs/srgan_x4.yml"), List.of()).emaDecay(), 0, "the paper keeps no EMA");
    assertEquals(0.99, ConfigLoader.load(Path.of("../configs/quickstart.yml"), List.of("train.ema_decay=0.99")).emaDecay(), 0);
  }
}
