package io.sr4j.train;

import io.sr4j.arch.Architecture;
import io.sr4j.arch.Architectures;
import io.sr4j.arch.DiscriminatorOptions;
import io.sr4j.arch.GeneratorOptions;
import io.sr4j.ckpt.ModelCard;
import io.sr4j.ckpt.WeightsZoo;
import io.sr4j.ckpt.Provenance;
import io.sr4j.config.ConfigException;
import io.sr4j.config.ConfigLoader;
import io.sr4j.config.DatasetConfig;
import io.sr4j.config.LossTermConfig;
import io.sr4j.config.OptimizerConfig;
import io.sr4j.config.TrainConfig;
import io.sr4j.data.BadInputException;
import io.sr4j.data.pairs.BundledData;
import io.sr4j.data.pairs.LrSynthesis;
import io.sr4j.data.pairs.PairedFolder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;

/**
 * The one place that resolves and validates a whole run before anything runs: no weight is loaded and no folder is
 * created here. It checks the config's cross-constraints (network vs data colour and scale, architecture options,
 * discriminator input size, loss sections and the files they need, data folders, pretrained files, the run folder
 * staying inside experiments_root, checkpoints of an earlier run) and returns a {@link RunPlan}: what {@code sr train
 * --dry-run} prints, and what the trainer, the benchmark and the tests build from.
 */
public final class RunSetup {
  private RunSetup() {}

  /** A config file and the {@code --set} overrides it was read with (null file for configs built in code). */
  public record Source(Path configFile, List<String> overrides) {
    public static Source of(Path configFile, List<String> overrides) {
      return new Source(configFile, List.copyOf(overrides));
    }
  }

  /** Reads, validates and resolves a run from a config file; fails on the first missing input. */
  public static RunPlan prepare(Path configFile, List<String> overrides, String resume) {
    return prepare(ConfigLoader.load(configFile, overrides), Source.of(configFile, overrides), resume);
  }

  /** Validates and resolves a run of {@code cfg}; {@code resume} as for {@link Trainer#run}; fails on a missing input. */
  public static RunPlan prepare(TrainConfig cfg, Source source, String resume) {
    RunPlan plan = plan(cfg, source, resume);
    if (!plan.missingInputs().isEmpty()) {
      throw new ConfigException(plan.missingInputs().get(0));
    }
    return plan;
  }

  /**
   * Validates and resolves a run like {@link #prepare}, but lists input files and folders that do not exist (data
   * sets, weights, pretrained models) in {@link RunPlan#missingInputs()} instead of failing: what a dry run on
   * another machine than the one that will train needs.
   */
  public static RunPlan plan(TrainConfig cfg, Source source, String resume) {
    List<String> missing = new ArrayList<>();
    Path root = Path.of(cfg.path().experimentsRoot());
    Path runDir = root.resolve(cfg.name()).normalize();
    if (!runDir.startsWith(root.normalize()) || runDir.equals(root.normalize())) {
      throw new ConfigException("name: '" + cfg.name() + "' would put the run outside " + root);
    }
    RunPlan.Network g = generator(cfg);
    RunPlan.Network d = cfg.isGan() ? discriminator(cfg) : null;
    checkData(cfg.datasets().train(), (GeneratorOptions) g.options(), cfg.scale(), "datasets.train");
    for (Map.Entry<String, LossTermConfig> e : cfg.train().losses().entrySet()) {
      e.getValue().check("train." + e.getKey(), cfg, (key, file) -> checkInput(file, key, missing));
    }
    cfg.val().metrics().forEach((name, m) -> m.zooWeights()
        .forEach(w -> checkInput(w, "val.metrics." + name + " (" + m.type() + ")", missing)));
    checkInput(cfg.path().pretrainNetworkG(), "path.pretrain_network_g", missing);
    checkInput(cfg.path().pretrainNetworkD(), "path.pretrain_network_d", missing);
    List<Provenance.DataSet> datasets = new ArrayList<>();
    dataSet("train", cfg.datasets().train(), cfg.scale(), "datasets.train", datasets, missing);
    for (int i = 0; i < cfg.datasets().val().size(); i++) {
      dataSet("val", cfg.datasets().val().get(i), cfg.scale(), "datasets.val[" + i + "]", datasets, missing);
    }
    if (resume != null && !resume.equals("auto")) {
      checkInput(resume, "--resume", missing);
    }
    String yaml = ConfigLoader.toYaml(cfg);
    return new RunPlan(cfg, yaml, sha256(yaml), source, runDir, g, d, datasets, List.copyOf(missing));
  }

  private static RunPlan.Network generator(TrainConfig cfg) {
    Architecture<?> arch = Architectures.get(cfg.networkG().type());
    Object options = arch.options(cfg.networkG().options(), "network_g");
    if (!(options instanceof GeneratorOptions g)) {
      throw new ConfigException("network_g.type: " + arch.name() + " is not an SR generator");
    }
    if (g.upscale() != cfg.scale()) {
      throw new ConfigException("network_g.scale: " + g.upscale() + " does not match scale " + cfg.scale());
    }
    ComputationGraphConfiguration conf = configuration(arch, options);
    Optimizers.apply(conf, cfg.train().optimG(), cfg.train().scheduler(), cfg.train().warmupIter(), "train.optim_g");
    String how = cfg.isGan() ? cfg.modelType() + " run " + cfg.name() : "run " + cfg.name();
    ModelCard card = ModelCard.of(arch.name(), cfg.networkG().options(), "trained with sr4j, " + how, null, "raw");
    return new RunPlan.Network(conf, g, card, parameters(conf));
  }

  private static RunPlan.Network discriminator(TrainConfig cfg) {
    Architecture<?> arch = Architectures.get(cfg.networkD().type());
    Object options = arch.options(cfg.networkD().options(), "network_d");
    if (options instanceof GeneratorOptions) {
      throw new ConfigException("network_d.type: " + arch.name() + " is a generator, not a discriminator");
    }
    Integer gt = cfg.datasets().train().gtSize();
    if (options instanceof DiscriminatorOptions o && gt != null && o.patchSize() != gt) {
      throw new ConfigException("datasets.train.gt_size: " + gt + " does not fit network_d, which takes "
          + o.patchSize() + "x" + o.patchSize() + " patches (set its input_size, or gt_size)");
    }
    ComputationGraphConfiguration conf = configuration(arch, options);
    OptimizerConfig optD = cfg.train().optimD() != null ? cfg.train().optimD() : cfg.train().optimG();
    Optimizers.apply(conf, optD, cfg.train().scheduler(), cfg.train().warmupIter(), "train.optim_d");
    ModelCard card = ModelCard.of(arch.name(), cfg.networkD().options(), "discriminator of run " + cfg.name(), null, "raw");
    return new RunPlan.Network(conf, options, card, parameters(conf));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static ComputationGraphConfiguration configuration(Architecture arch, Object options) {
    return arch.configuration((Record) options);
  }

  /** Trainable parameters as PyTorch counts them (BatchNorm running statistics excluded), from the configuration. */
  private static long parameters(ComputationGraphConfiguration conf) {
    long n = 0;
    for (var v : conf.getVertices().values()) {
      if (v instanceof LayerVertex lv) {
        var layer = lv.getLayerConf().getLayer();
        n += layer.initializer().numParams(lv.getLayerConf());
        if (layer instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization bn) {
          n -= 2 * bn.getNOut(); // running mean and variance
        }
      }
    }
    return n;
  }

  /** The data a dataset config describes must fit the network: patch type, colour, scale, sizes. */
  static void checkData(DatasetConfig d, GeneratorOptions g, int scale, String where) {
    if (g.preUpsampled() != d.isSrcnnSubImages()) {
      throw new ConfigException(where + ".type: " + d.type() + " does not fit the network: "
          + (g.preUpsampled() ? "it runs on bicubic-upscaled images; use " + DatasetConfig.SRCNN_SUBIMAGES
              : "it upscales by itself; use " + DatasetConfig.PAIRED));
    }
    if (d.isSrcnnSubImages()) {
      if (g.colourChannels() != 1) {
        throw new ConfigException(where + ".type: " + DatasetConfig.SRCNN_SUBIMAGES + " makes Y sub-images; the network "
            + "needs num_in_ch: 1");
      }
      return;
    }
    if (d.gtSize() == null || d.gtSize() % scale != 0) {
      throw new ConfigException(where + ".gt_size: " + d.gtSize() + " is not allowed, expected the HR patch side in "
          + "pixels, a multiple of the scale " + scale);
    }
    boolean y = d.color().equals("y");
    if (y != (g.colourChannels() == 1)) {
      throw new ConfigException(where + ".color: " + d.color() + " does not fit the network's num_in_ch "
          + g.colourChannels() + " (y needs 1, rgb needs 3)");
    }
  }

  /** Adds the set's folder and size (found without decoding any image), or what is missing. */
  private static void dataSet(String role, DatasetConfig d, int scale, String where, List<Provenance.DataSet> out,
      List<String> missing) {
    boolean bundled = BundledData.hrFolder(d.datarootGt()).isPresent();
    if (!bundled && !Files.isDirectory(Path.of(d.datarootGt()))) {
      missing.add(where + ".dataroot_gt: " + d.datarootGt() + " is not a folder (nor a bundled set: "
          + BundledData.SETS + ")");
      return;
    }
    if (d.datarootLq() != null && !Files.isDirectory(Path.of(d.datarootLq()))) {
      missing.add(where + ".dataroot_lq: " + d.datarootLq() + " is not a folder");
      return;
    }
    try {
      Path hr = BundledData.resolveHrFolder(d.datarootGt());
      PairedFolder folder = d.datarootLq() == null ? PairedFolder.synthesized(hr, scale, LrSynthesis.RGB8)
          : PairedFolder.withLrFolder(hr, Path.of(d.datarootLq()), scale);
      out.add(new Provenance.DataSet(role, d.name(), hr.toString(), folder.size()));
    } catch (BadInputException e) {
      throw new ConfigException(where + ".dataroot_gt: " + e.getMessage());
    }
  }

  /** A file a run reads (a path or a downloaded {@code zoo:NAME}), or what is missing. */
  private static void checkInput(String file, String key, List<String> missing) {
    if (file == null) {
      return;
    }
    try {
      if (!Files.isRegularFile(WeightsZoo.resolve(file, key))) {
        missing.add(key + ": " + file + " is not a file");
      }
    } catch (BadInputException e) {
      missing.add(e.getMessage()); // a zoo entry not downloaded yet (the message says how to get it)
    }
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
