package io.sr4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.config.ConfigLoader;
import io.sr4j.config.PerceptualConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every config in configs/ passes the run set-up (networks build with the options given, data and losses fit), as
 * {@code sr train --dry-run} checks it; inputs that only exist after a download or an earlier stage are listed.
 */
class ShippedConfigsTest {
  static List<Path> shippedConfigs() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("../configs"))) {
      return s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
  }

  @Test
  void everyShippedConfigIsAValidRun() throws IOException {
    List<Path> configs = shippedConfigs();
    assertTrue(configs.size() >= 10, configs.toString());
    for (Path c : configs) {
      var cfg = ConfigLoader.load(c, List.of());
      RunPlan plan = RunSetup.plan(cfg, RunSetup.Source.of(c, List.of()), null);
      assertEquals(cfg.scale(), plan.generatorOptions().upscale(), c.toString());
      assertTrue(plan.generator().parameters() > 1000, c.toString());
      assertEquals(cfg.isGan(), plan.discriminator() != null, c.toString());
      for (String m : plan.missingInputs()) {
        assertTrue(m.contains("DIV2K") || m.contains("vgg19") || m.contains("experiments/"),
            c + ": only downloads and earlier stages may be missing, not " + m);
      }
      cfg.train().losses().values().stream().filter(l -> l instanceof PerceptualConfig).map(l -> (PerceptualConfig) l)
          .forEach(p -> assertTrue(p.weights() != null || p.randomWeights(), c.toString()));
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
