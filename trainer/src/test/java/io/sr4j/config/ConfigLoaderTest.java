package io.sr4j.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private static final String VALID = """
      name: test_run
      scale: 3
      manual_seed: 7
      datasets:
        train:
          name: T91
          type: SRCNNSubImageDataset
          dataroot_gt: T91
          color: y
          batch_size_per_gpu: 128
        val:
          name: Set5
          dataroot_gt: Set5
      network_g:
        type: srcnn
        kernel_sizes: [9, 1, 5]
      train:
        optim_g:
          type: Adam
          lr: !!float 1e-3
          betas: [0.9, 0.999]
          lr_multipliers: {conv3: 0.1}
        scheduler:
          type: MultiStepLR
          milestones: [1000, 2000]
          gamma: 0.5
        total_iter: 3000
        pixel_opt:
          type: MSELoss
          loss_weight: 1.0
      val:
        val_freq: 500
        metrics:
          psnr: {type: calculate_psnr, crop_border: 3, test_y_channel: true}
      logger:
        print_freq: 50
        save_checkpoint_freq: 500
      """;

  private Path write(String yaml) throws IOException {
    Path f = dir.resolve("c.yml");
    Files.writeString(f, yaml);
    return f;
  }

  private String error(String yaml, String... overrides) throws IOException {
    Path f = write(yaml);
    return assertThrows(ConfigException.class, () -> ConfigLoader.load(f, List.of(overrides))).getMessage();
  }

  @Test
  void validConfigBindsWithDefaults() throws IOException {
    TrainConfig c = ConfigLoader.load(write(VALID), List.of());
    assertEquals("test_run", c.name());
    assertEquals(3, c.scale());
    assertEquals(7L, c.manualSeed());
    assertEquals("y", c.datasets().train().color());
    assertEquals(128, c.datasets().train().batchSizePerGpu());
    assertTrue(c.datasets().train().useHflip(), "defaults to true");
    assertEquals(1, c.datasets().val().size(), "a single val mapping becomes a one-element list");
    assertEquals("Set5", c.datasets().val().get(0).name());
    assertEquals("srcnn", c.networkG().type());
    assertEquals(List.of(9, 1, 5), c.networkG().options().get("kernel_sizes"));
    assertEquals(1e-3, c.train().optimG().lr(), 0);
    assertEquals(0.1, c.train().optimG().lrMultipliers().get("conv3"), 0);
    assertEquals(List.of(1000L, 2000L), c.train().scheduler().milestones());
    assertEquals(3, c.val().metrics().get("psnr").cropBorder());
    assertEquals(3, c.logger().keepCheckpoints(), "default");
    assertEquals("experiments", c.path().experimentsRoot());
  }

  @Test
  void overridesReplaceNestedValuesAndParseYamlScalars() throws IOException {
    TrainConfig c = ConfigLoader.load(write(VALID), List.of("train.total_iter=10", "train.optim_g.betas=[0.9, 0.99]",
        "datasets.train.use_hflip=false", "train.optim_g.lr=1e-4", "path.pretrain_network_g=pretrained/x.zip"));
    assertEquals(10L, c.train().totalIter());
    assertEquals(List.of(0.9, 0.99), c.train().optimG().betas());
    assertEquals(false, c.datasets().train().useHflip());
    assertEquals(1e-4, c.train().optimG().lr(), 0);
    assertEquals("pretrained/x.zip", c.path().pretrainNetworkG());
  }

  @Test
  void unknownKeySuggestsTheClosest() throws IOException {
    String m = error(VALID.replace("batch_size_per_gpu", "batch_size_per_gpux"));
    assertTrue(m.contains("datasets.train.batch_size_per_gpux: unknown key"), m);
    assertTrue(m.contains("did you mean batch_size_per_gpu?"), m);
    String top = error(VALID, "totl_iter=5");
    assertTrue(top.contains("totl_iter: unknown key") && top.contains("allowed here:"), top);
    String nested = error(VALID, "train.totl_iter=5");
    assertTrue(nested.contains("train.totl_iter: unknown key; did you mean total_iter?"), nested);
  }

  @Test
  void wrongTypeNamesKeyAndValue() throws IOException {
    String m = error(VALID, "train.optim_g.lr=fast");
    assertTrue(m.contains("train.optim_g.lr") && m.contains("'fast'") && m.contains("a number"), m);
    String n = error(VALID, "train.total_iter=[1, 2]");
    assertTrue(n.contains("train.total_iter") && n.contains("an integer"), n);
  }

  @Test
  void outOfRangeValuesNameKeyValueAndAllowedRange() throws IOException {
    String lr = error(VALID, "train.optim_g.lr=-0.1");
    assertTrue(lr.contains("train.optim_g.lr: -0.1 is not allowed, expected a number > 0"), lr);
    String scale = error(VALID, "scale=5");
    assertTrue(scale.contains("scale: 5 is not allowed, expected one of [2, 3, 4]"), scale);
    String opt = error(VALID, "train.optim_g.type=RMSprop");
    assertTrue(opt.contains("train.optim_g.type: 'RMSprop' is not allowed, expected one of [Adam, SGD]"), opt);
    String betas = error(VALID, "train.optim_g.betas=[0.9]");
    assertTrue(betas.contains("train.optim_g.betas") && betas.contains("two numbers"), betas);
    String milestones = error(VALID, "train.scheduler.milestones=[2000, 1000]");
    assertTrue(milestones.contains("train.scheduler.milestones") && milestones.contains("increasing"), milestones);
    String missing = error(VALID.replace("  pixel_opt:\n    type: MSELoss\n    loss_weight: 1.0\n", ""));
    assertTrue(missing.contains("pixel_opt") && missing.contains("(missing)"), missing);
    String loss = error(VALID, "train.pixel_opt.type=L3Loss");
    assertTrue(loss.contains("train.pixel_opt.type: 'L3Loss'") && loss.contains("L1Loss"), loss);
    String weight = error(VALID, "train.pixel_opt.loss_weight=heavy");
    assertTrue(weight.contains("train.pixel_opt.loss_weight: 'heavy' is not a number"), weight);
    String gathered = error(VALID, "train.losses={}");
    assertTrue(gathered.contains("train.losses: unknown key"), gathered);
  }

  @Test
  void misalignmentAndContextualLossKeysAreChecked() throws IOException {
    String srcnn = error(VALID, "datasets.train.misalign_px=2");
    assertTrue(srcnn.contains("datasets.train.misalign_px: 2 is not allowed") && srcnn.contains("PairedImageDataset"),
        srcnn);
    String paired = VALID.replace("type: SRCNNSubImageDataset", "type: PairedImageDataset\n    gt_size: 48")
        .replace("color: y", "color: rgb").replace("kernel_sizes: [9, 1, 5]", "kernel_sizes: [9, 1, 5]\n  num_in_ch: 3");
    String angle = error(paired, "datasets.train.misalign_rotation_deg=20");
    assertTrue(angle.contains("datasets.train.misalign_rotation_deg: 20.0 is not allowed, expected a number in [0.0, 10.0]"),
        angle);
    String cx = error(paired, "train.cx_opt={type: ContextualLoss, w_spatial: 0.1}");
    assertTrue(cx.contains("train.cx_opt.w_spatial: 0.1 is not allowed") && cx.contains("CoBiLoss"), cx);
    String nothing = error(paired, "train.cobi_opt={type: CoBiLoss, layer_weights: {}, rgb_weight: 0}");
    assertTrue(nothing.contains("train.cobi_opt.rgb_weight: 0") && nothing.contains("nothing is compared"), nothing);
    String key = error(paired, "train.cobi_opt={type: CoBiLoss, max_sampling_size: 40}");
    assertTrue(key.contains("train.cobi_opt.max_sampling_size: unknown key; did you mean max_sampling_1d_size?"), key);
  }

  @Test
  void malformedYamlAndBadOverrideSyntax() throws IOException {
    String m = error("name: [unclosed\n");
    assertTrue(m.contains("not valid YAML"), m);
    String o = error(VALID, "no_equals_sign");
    assertTrue(o.contains("--set no_equals_sign") && o.contains("key.path=value"), o);
    Path missing = dir.resolve("nope.yml");
    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(missing, List.of())).getMessage()
        .contains("no such config file"));
  }

  @Test
  void sizesThatWouldBeMultipliedIntoAnAllocationAreCheckedUpFront() throws IOException {
    assertTrue(error(VALID, "datasets.train.batch_size_per_gpu=1e9").contains(
        "datasets.train.batch_size_per_gpu: 1000000000 is not allowed, expected an integer in [1, 65536]"));
    String tooLarge = error(VALID.replace("type: SRCNNSubImageDataset", "gt_size: 4096"),
        "datasets.train.batch_size_per_gpu=128");
    assertTrue(tooLarge.contains("a batch of at most 2^28 values"), tooLarge);
    assertTrue(error(VALID, "datasets.train.num_worker_per_gpu=100000").contains("num_worker_per_gpu"));
  }

  @Test
  void aBinaryOrHugeFileIsNotAConfig() throws IOException {
    Path binary = dir.resolve("binary.yml");
    Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0x80});
    String e = assertThrows(ConfigException.class, () -> ConfigLoader.load(binary, List.of())).getMessage();
    assertEquals(binary + ": not a text file (a config is UTF-8 YAML)", e);
    Path huge = dir.resolve("huge.yml");
    Files.writeString(huge, "# " + "x".repeat(2 << 20));
    e = assertThrows(ConfigException.class, () -> ConfigLoader.load(huge, List.of())).getMessage();
    assertTrue(e.startsWith(huge + ": ") && e.contains("is not a config"), e);
  }

  @Test
  void lossSectionsKeepTheFileOrderAndNameTheirTypeWhenWrong() throws IOException {
    TrainConfig c = ConfigLoader.load(write(VALID.replace("  pixel_opt:\n", "  zeta_opt: {type: L1Loss}\n"
        + "  ssim_opt: {type: SSIMLoss, loss_weight: 0.1}\n  pixel_opt:\n")), List.of());
    assertEquals(List.of("zeta_opt", "ssim_opt", "pixel_opt"), List.copyOf(c.train().losses().keySet()));
    String e = error(VALID.replace("type: MSELoss", "type: MSELos"));
    assertTrue(e.contains("train.pixel_opt") && e.contains("'MSELos'") && e.contains("MSELoss?"), e);
  }
}
