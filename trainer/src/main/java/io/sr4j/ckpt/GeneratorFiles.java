package io.sr4j.ckpt;

import io.sr4j.data.BadInputException;
import io.sr4j.data.image.ImageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Opens a generator from any file the project reads: its own checkpoints and exports, and released weights. */
public final class GeneratorFiles {
  private GeneratorFiles() {}

  /**
   * Loads the generator in {@code file}. {@code scaleHint} resolves what a file cannot say (SRCNN .mat files not
   * named x2/x3/x4, RRDBNet files with one upsampling stage); {@code paramKey} picks params/params_ema in BasicSR
   * files and raw versus EMA weights in this project's training checkpoints; {@code arch} and {@code options}
   * describe a plain DL4J zip that has no model card.
   */
  public static Checkpoint.Loaded load(Path file, Integer scaleHint, String paramKey, String arch,
      Map<String, Object> options) {
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(file + ": no such model file");
    }
    Checkpoint.Loaded loaded = switch (ImageFiles.extension(file)) {
      case "mat" -> PublishedWeights.srcnnFromMat(file, scaleHint);
      case "pth", "pt", "safetensors" -> PublishedWeights.generatorFromTorch(file, paramKey, scaleHint);
      case "zip" -> fromZip(file, arch, options, paramKey);
      default -> throw new BadInputException(file + ": unknown model file type; expected a .zip checkpoint or "
          + "export, an SRCNN .mat, a PyTorch .pth/.pt or a .safetensors file");
    };
    if (!loaded.card().isGenerator()) {
      throw new BadInputException(file + ": holds a " + loaded.card().arch() + " network, which is not an SR generator");
    }
    if (scaleHint != null && !scaleHint.equals(loaded.card().scale())) {
      throw new BadInputException(file + ": this model upscales x" + loaded.card().scale() + ", not x" + scaleHint);
    }
    return loaded;
  }

  /** "raw", and "ema" too when {@code file} also holds EMA weights (BasicSR params_ema, this project's checkpoints). */
  public static java.util.Set<String> weightKinds(Path file) {
    boolean ema = switch (ImageFiles.extension(file)) {
      case "zip" -> Checkpoint.entry(file, EMA_ENTRY).isPresent();
      case "pth", "pt" -> io.sr4j.ckpt.formats.TorchCheckpointReader.read(file).topLevelKeys().contains("params_ema");
      default -> false;
    };
    return ema ? java.util.Set.of("raw", "ema") : java.util.Set.of("raw");
  }

  /** Entry of a training checkpoint that holds the EMA weights of its generator. */
  public static final String EMA_ENTRY = "sr4j/ema.bin";

  private static Checkpoint.Loaded fromZip(Path file, String arch, Map<String, Object> options, String paramKey) {
    Checkpoint.Loaded l = Checkpoint.read(file, false);
    if ("params_ema".equals(paramKey)) {
      byte[] ema = Checkpoint.entry(file, EMA_ENTRY).orElseThrow(() -> new BadInputException(file
          + ": has no EMA weights (it was not trained with train.ema_decay > 0); use --param-key params"));
      try {
        l.network().params().assign(Checkpoint.readArray(ema));
      } catch (java.io.IOException e) {
        throw new BadInputException(file + ": corrupt EMA weights (" + e.getMessage() + ")", e);
      }
      return new Checkpoint.Loaded(l.network(), l.card().withProvenance(l.card().source(), l.card().iteration(), "ema"));
    }
    if (l.card() != null) {
      return l;
    }
    if (arch == null) {
      throw new BadInputException(file + ": a DL4J model without an sr4j model card; say what it is with --arch "
          + "(and --opt key=value for its options)");
    }
    return new Checkpoint.Loaded(l.network(), ModelCard.of(arch, options, "DL4J model " + file.getFileName(), null, "raw"));
  }
}
