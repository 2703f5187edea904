package io.sr4j.ablate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.config.ConfigLoader;
import io.sr4j.config.GanConfig;
import io.sr4j.config.LossConfig;
import io.sr4j.config.PerceptualConfig;
import io.sr4j.config.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The specs in configs/ablations/ validate as whole runs (RunSetup.plan) and describe the designs they claim. */
class ShippedAblationSpecsTest {
  private static final Path DIR = Path.of("../configs/ablations");

  private static AblationPlan read(String file) {
    Path spec = DIR.resolve(file);
    return AblationPlan.read(spec, ConfigLoader.readTree(spec).has("search") ? AblationPlan.Kind.TUNE
        : AblationPlan.Kind.ABLATE);
  }

  @Test
  void everyShippedSpecIsValidRunByRun() throws IOException {
    List<String> specs;
    try (Stream<Path> s = Files.list(DIR)) {
      specs = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")).sorted().toList();
    }
    assertEquals(List.of("esrgan_chain_x4.yml", "quickstart_tune.yml", "rrdb_resscale_init_x4_cpu.yml"), specs);
    for (String f : specs) {
      AblationPlan plan = read(f);
      for (AblationPlan.Prepared p : plan.validate(0, true)) {
        assertEquals(plan.runDir(p.candidate()), p.plan().runDir());
        for (String m : p.plan().missingInputs()) {
          assertTrue(f.startsWith("esrgan") && (m.contains("DIV2K") || m.contains("vgg19") || m.contains("experiments/")),
              f + ": only the paper-scale chain may miss downloads and PSNR-stage models, not " + m);
        }
      }
    }
  }

  @Test
  void esrganChainAddsOneChangePerStep() {
    AblationPlan plan = read("esrgan_chain_x4.yml");
    List<TrainConfig> cfgs = plan.validate(0, true).stream().map(p -> p.plan().cfg()).toList();
    assertEquals(List.of("srgan_baseline", "no_bn", "vgg_before_act", "ragan", "rrdb"),
        plan.candidates().stream().map(AblationPlan.Candidate::name).toList());
    List<String> arch = cfgs.stream().map(c -> c.networkG().type()).toList();
    assertEquals(List.of("srresnet", "srresnet", "srresnet", "srresnet", "rrdbnet"), arch);
    List<Object> bn = cfgs.stream().map(c -> c.networkG().options().getOrDefault("batch_norm", false)).toList();
    assertEquals(List.of(true, false, false, false, false), bn);
    List<Object> layer = cfgs.stream().map(c -> ((PerceptualConfig) c.train().losses().get("perceptual_opt"))
        .layerWeights().keySet()).map(k -> (Object) List.copyOf(k)).toList();
    assertEquals(List.of(List.of("relu5_4"), List.of("relu5_4"), List.of("conv5_4"), List.of("conv5_4"),
        List.of("conv5_4")), layer);
    assertEquals(List.of(false, false, false, true, true), cfgs.stream().map(TrainConfig::relativisticGan).toList());
    assertEquals(23, cfgs.get(4).networkG().options().get("num_block"));
    for (TrainConfig c : cfgs) {
      assertEquals(1e-2, ((LossConfig) c.train().losses().get("pixel_opt")).lossWeight(), 0, "L1 weight");
      assertEquals(5e-3, ((GanConfig) c.train().losses().get("gan_opt")).lossWeight(), 0, "GAN weight");
      assertEquals(1e-4, c.train().optimG().lr(), 0);
      assertEquals(16, c.datasets().train().batchSizePerGpu());
      assertEquals(128, c.datasets().train().gtSize());
      assertEquals(4, c.scale());
      assertTrue(c.path().pretrainNetworkG().startsWith("experiments/"), "each from its own PSNR-stage model");
    }
    assertEquals("Set14_niqe", plan.rankKey());
    assertTrue(!plan.higherIsBetter(), "NIQE: lower is better");
  }

  @Test
  void cpuSpecsHaveTheirDesign() {
    AblationPlan factorial = read("rrdb_resscale_init_x4_cpu.yml");
    assertEquals(8, factorial.candidates().size());
    assertEquals(List.of(0L, 1L), factorial.seeds());
    assertEquals(Map.of("network_g.res_scale", 1.0, "network_g.init_scale", 1.0), Map.of(
        "network_g.res_scale", factorial.candidates().get(3).overrides().get("network_g.res_scale").asDouble(),
        "network_g.init_scale", factorial.candidates().get(3).overrides().get("network_g.init_scale").asDouble()));
    TrainConfig cfg = factorial.config(factorial.candidates().get(0), 0);
    assertEquals("rrdbnet", cfg.networkG().type());
    assertTrue((Integer) cfg.networkG().options().get("num_block") > 6, "deeper than rrdb_psnr_x4_cpu.yml");

    AblationPlan tune = read("quickstart_tune.yml");
    assertEquals(6, tune.candidates().size());
    for (AblationPlan.Candidate c : tune.candidates()) {
      TrainConfig t = tune.config(c, 0);
      assertEquals(2400, t.train().totalIter());
      assertTrue(t.train().optimG().lr() >= 1e-4 && t.train().optimG().lr() <= 1e-2);
      assertTrue(List.of(32, 64, 128).contains(t.datasets().train().batchSizePerGpu()));
    }
  }
}
