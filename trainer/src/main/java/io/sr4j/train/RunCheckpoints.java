package io.sr4j.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sr4j.ckpt.Checkpoint;
import io.sr4j.ckpt.ModelCard;
import io.sr4j.data.AtomicFiles;
import io.sr4j.data.BadInputException;
import io.sr4j.nn.InputGradientGraph;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The checkpoints of a run: {@code checkpoints/iter_<k>.zip} after k completed iterations, the newest
 * {@code keep} of them kept, plus {@code checkpoints/best.zip} for the best validation value. Each holds the
 * generator with its optimizer state, its model card, the training state, the resolved config, the EMA weights and,
 * for GAN training, the discriminator with its optimizer state;
 * all are written atomically, so the newest complete file is always a good one to resume from.
 */
public final class RunCheckpoints {
  public static final String TRAINING = "sr4j/training.json";
  public static final String CONFIG = "sr4j/config.yml";
  public static final String EMA = io.sr4j.ckpt.GeneratorFiles.EMA_ENTRY;
  public static final String DISCRIMINATOR = "sr4j/net_d.zip";
  private static final Pattern NAME = Pattern.compile("iter_(\\d+)\\.zip");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final int keep;

  public RunCheckpoints(Path dir, int keep) {
    this.dir = dir;
    this.keep = keep;
  }

  public Path dir() {
    return dir;
  }

  /** What a training checkpoint restores. */
  public record Restored(Path file, InputGradientGraph generator, ModelCard card, TrainingState state, String configYaml,
      INDArray ema, InputGradientGraph discriminator) {}

  /** Writes the checkpoint after {@code state.iteration()} iterations and drops the oldest beyond {@code keep}. */
  public Path save(InputGradientGraph g, ModelCard card, TrainingState state, String configYaml, Ema ema,
      InputGradientGraph d) {
    Map<String, byte[]> extras = new LinkedHashMap<>();
    try {
      extras.put(TRAINING, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    extras.put(CONFIG, configYaml.getBytes(StandardCharsets.UTF_8));
    if (ema != null) {
      extras.put(EMA, Checkpoint.arrayBytes(ema.network().params()));
    }
    if (d != null) {
      extras.put(DISCRIMINATOR, Checkpoint.networkBytes(d, true));
    }
    Path file = dir.resolve(String.format("iter_%08d.zip", state.iteration()));
    Checkpoint.write(file, g, card.withProvenance(card.source(), state.iteration(), "raw"), true, extras);
    List<Path> all = list();
    for (int i = keep; i < all.size(); i++) {
      try {
        Files.deleteIfExists(all.get(i));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return file;
  }

  /** Makes {@code best.zip} the same file as {@code checkpoint} (a hard link where possible, else a copy). */
  public void markBest(Path checkpoint) {
    Path best = dir.resolve("best.zip");
    try {
      AtomicFiles.write(best, tmp -> {
        Files.delete(tmp);
        try {
          Files.createLink(tmp, checkpoint);
        } catch (IOException | UnsupportedOperationException e) {
          Files.copy(checkpoint, tmp);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The iteration checkpoints, newest first. */
  public List<Path> list() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> files = new ArrayList<>(s.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).toList());
      files.sort((a, b) -> Long.compare(iterationOf(b), iterationOf(a)));
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static long iterationOf(Path p) {
    Matcher m = NAME.matcher(p.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /** The newest checkpoint that reads completely, if any (a damaged newer one is reported and skipped). */
  public Optional<Restored> latest(java.io.PrintWriter log) {
    for (Path p : list()) {
      try {
        return Optional.of(restore(p));
      } catch (RuntimeException e) {
        log.println("skipping unreadable checkpoint " + p + ": " + e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** Reads a training checkpoint (generator with optimizer state, training state, config, EMA). */
  public static Restored restore(Path file) {
    Checkpoint.Loaded loaded = Checkpoint.read(file, true);
    byte[] state = Checkpoint.entry(file, TRAINING).orElseThrow(() ->
        new BadInputException(file + ": not a training checkpoint (no " + TRAINING + "); it can be used as "
            + "path.pretrain_network_g instead"));
    try {
      TrainingState s = JSON.readValue(state, TrainingState.class);
      String config = new String(Checkpoint.entry(file, CONFIG).orElse(new byte[0]), StandardCharsets.UTF_8);
      INDArray ema = Checkpoint.entry(file, EMA).map(b -> {
        try {
          return Checkpoint.readArray(b);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).orElse(null);
      InputGradientGraph d = Checkpoint.entry(file, DISCRIMINATOR)
          .map(b -> Checkpoint.networkFromBytes(b, true, file + " (discriminator)")).orElse(null);
      return new Restored(file, loaded.network(), loaded.card(), s, config, ema, d);
    } catch (IOException e) {
      throw new BadInputException(file + ": corrupt training state (" + e.getMessage() + ")", e);
    }
  }
}
