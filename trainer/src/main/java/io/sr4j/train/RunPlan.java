package io.sr4j.train;

import io.sr4j.arch.GeneratorOptions;
import io.sr4j.ckpt.ModelCard;
import io.sr4j.ckpt.Provenance;
import io.sr4j.config.LossTermConfig;
import io.sr4j.config.TrainConfig;
import io.sr4j.nn.Graphs;
import io.sr4j.nn.InputGradientGraph;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;

/**
 * A validated, resolved run ({@link RunSetup#prepare}): the config and its resolved YAML with its SHA-256, where it
 * came from, the run folder, the networks to build (configurations with optimizers, cards, parameter counts) and the
 * data sets with their sizes. Nothing here has been built or written yet.
 */
public record RunPlan(TrainConfig cfg, String configYaml, String configSha256, RunSetup.Source source, Path runDir,
    Network generator, Network discriminator, List<Provenance.DataSet> datasets, List<String> missingInputs) {

  /** A network to build: its configuration (optimizer set), typed options, card and trainable parameter count. */
  public record Network(ComputationGraphConfiguration conf, Object options, ModelCard card, long parameters) {}

  /** The generator's typed options. */
  public GeneratorOptions generatorOptions() {
    return (GeneratorOptions) generator.options();
  }

  /** A freshly initialised generator, the same in every process for the same manual_seed. */
  public InputGradientGraph newGenerator() {
    return Graphs.initialised(generator.conf().clone(), cfg.manualSeed());
  }

  /** A freshly initialised discriminator (GAN runs), seeded with manual_seed + 1. */
  public InputGradientGraph newDiscriminator() {
    return Graphs.initialised(discriminator.conf().clone(), cfg.manualSeed() + 1);
  }

  /** The provenance of the files this run writes, started at {@code started}. */
  public Provenance provenance(String started) {
    return new Provenance(Provenance.FORMAT_VERSION, configSha256,
        source.configFile() == null ? null : source.configFile().toString(), source.overrides(), cfg.manualSeed(),
        datasets, BuildInfo.version(), BuildInfo.gitCommit(), BuildInfo.nd4jVersion(), BuildInfo.nd4jBackend(), started,
        null);
  }

  /** The resolved run, as {@code sr train --dry-run} prints it. */
  public List<String> describe() {
    List<String> out = new ArrayList<>();
    out.add("run " + cfg.name() + " (" + cfg.modelType() + ", x" + cfg.scale() + ", seed " + cfg.manualSeed()
        + (cfg.numThreads() > 0 ? ", " + cfg.numThreads() + " threads" : "") + ")");
    out.add("  config: " + (source.configFile() == null ? "(built in code)" : source.configFile())
        + (source.overrides().isEmpty() ? "" : " with --set " + String.join(" --set ", source.overrides()))
        + ", sha256 " + configSha256.substring(0, 12));
    out.add("  output folder: " + runDir);
    out.add(String.format(Locale.ROOT, "  network_g: %s %s, %,d parameters", generator.card().arch(),
        generator.card().options(), generator.parameters()));
    if (discriminator != null) {
      out.add(String.format(Locale.ROOT, "  network_d: %s %s, %,d parameters", discriminator.card().arch(),
          discriminator.card().options(), discriminator.parameters()));
    }
    for (Provenance.DataSet d : datasets) {
      out.add("  data " + d.role() + ": " + d.name() + " (" + d.images() + " images in " + d.path() + ")");
    }
    var train = cfg.datasets().train();
    out.add("  batches: " + train.batchSizePerGpu() + " x " + (train.isSrcnnSubImages()
        ? train.subImageSize() + "x" + train.subImageSize() + " Y sub-images every " + train.subImageStride() + " px"
        : train.gtSize() + "x" + train.gtSize() + " HR patches (" + train.color() + ")"
            + (train.useHflip() ? ", flips" : "") + (train.useRot() ? ", rotations" : "")
            + (train.misalignPx() > 0 || train.misalignRotationDeg() > 0 ? ", MISALIGNED on purpose: HR crops moved by"
                + " up to " + train.misalignPx() + " px" + (train.misalignRotationDeg() > 0 ? ", rotated by up to "
                + train.misalignRotationDeg() + " deg" : "") : "")));
    for (Map.Entry<String, LossTermConfig> e : cfg.train().losses().entrySet()) {
      out.add("  loss " + e.getKey() + ": " + e.getValue().describe()
          + (e.getValue() instanceof io.sr4j.config.GanConfig ? (cfg.relativisticGan() ? ", relativistic average" : ", standard") : ""));
    }
    var t = cfg.train();
    out.add("  optim_g: " + t.optimG().type() + " lr " + t.optimG().lr()
        + (t.optimD() != null ? "; optim_d: " + t.optimD().type() + " lr " + t.optimD().lr() : ""));
    out.add("  schedule: " + t.scheduler().type() + " " + t.scheduler().describe() + ", " + t.totalIter()
        + " iterations" + (t.warmupIter() > 0 ? ", warm-up " + t.warmupIter() : "")
        + (cfg.emaDecay() > 0 ? ", EMA " + cfg.emaDecay() : ""));
    out.add("  validation: every " + cfg.val().valFreq() + " iterations, metrics " + cfg.val().metrics().keySet());
    out.add("  checkpoints: every " + cfg.logger().saveCheckpointFreq() + " iterations, newest "
        + cfg.logger().keepCheckpoints() + " kept");
    if (!missingInputs.isEmpty()) {
      out.add("missing inputs (a real run stops at the first):");
      missingInputs.forEach(m -> out.add("  " + m));
    }
    return out;
  }
}
