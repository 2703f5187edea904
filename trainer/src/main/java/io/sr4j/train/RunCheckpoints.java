package io.sr4j.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sr4j.ckpt.Checkpoint;
import io.sr4j.ckpt.ModelCard;
import io.sr4j.data.AtomicFiles;
import io.sr4j.data.BadInputException;
import io.sr4j.nn.InputGradientGraph;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The checkpoints of a run: {@code checkpoints/iter_<k>.zip} after k completed iterations, the newest {@code keep}
 * good ones kept, plus {@code checkpoints/best.zip} for the best validation value. Each holds the generator with its
 * optimizer state, its model card, the training state, the resolved config and provenance, the EMA weights and, for
 * GAN training, the discriminator with its optimizer state. Files are written atomically, and the SHA-256 of each
 * is recorded in {@code checkpoints/checksums.json} when it is written. A checkpoint is only used after it verifies:
 * its SHA-256 (when recorded), the CRC of every zip entry, and its contents. Damaged files are reported, skipped,
 * never counted as one of the {@code keep} newest and never deleted.
 */
public final class RunCheckpoints {
  public static final String TRAINING = "sr4j/training.json";
  public static final String EMA = io.sr4j.ckpt.GeneratorFiles.EMA_ENTRY;
  public static final String DISCRIMINATOR = "sr4j/net_d.zip";
  private static final String CHECKSUMS = "checksums.json";
  private static final Pattern NAME = Pattern.compile("iter_(\\d+)\\.zip");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final int keep;
  private final List<String> notes = new ArrayList<>();

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

  /**
   * The checkpoint a run continues from, found and verified before anything is written: none for a fresh run (which
   * must not find checkpoints in its folder), the newest good one for "auto" (none when the folder has no
   * checkpoint yet; an error listing them when none is usable), or the given file. Its network must be the plan's.
   */
  Restored restoreFor(String resume, RunPlan plan) {
    List<Path> all = list();
    Restored r;
    if (resume == null) {
      if (!all.isEmpty()) {
        throw new BadInputException(plan.runDir() + ": this run already has checkpoints; continue it with --resume "
            + "auto, or give the run another name (name: ... or --set name=...)");
      }
      return null;
    } else if (resume.equals("auto")) {
      r = newestGood(all);
      if (r == null) {
        notes.add("no checkpoint in " + dir + " yet; starting a new run");
        return null;
      }
    } else {
      r = restore(Path.of(resume));
    }
    ModelCard want = plan.generator().card();
    if (!r.card().arch().equals(want.arch()) || !r.card().options().equals(want.options())) {
      throw new BadInputException(r.file() + ": its network (" + r.card().arch() + " " + r.card().options()
          + ") differs from network_g of the config");
    }
    return r;
  }

  private Restored newestGood(List<Path> all) {
    List<String> problems = new ArrayList<>();
    for (Path p : all) {
      try {
        Restored r = restore(p);
        problems.forEach(notes::add);
        return r;
      } catch (RuntimeException e) {
        problems.add("warning: skipping damaged checkpoint " + p.getFileName() + ": " + e.getMessage());
      }
    }
    if (!all.isEmpty()) {
      throw new BadInputException("no usable checkpoint in " + dir + " (" + String.join("; ", problems)
          + "); nothing was deleted: move the damaged files away to start the run anew");
    }
    return null;
  }

  /** From now on, notes go to the run's log (console and train.log); stale temporary files are removed. */
  void reportTo(RunLog runLog) {
    notes.forEach(runLog::line);
    notes.clear();
    try {
      int stale = AtomicFiles.removeStaleParts(dir);
      if (stale > 0) {
        runLog.line("removed " + stale + " temporary file(s) of an interrupted checkpoint write in " + dir);
      }
    } catch (IOException e) {
      throw new BadInputException(dir + ": cannot clean up (" + e.getMessage() + ")", e);
    }
  }

  /** Writes the checkpoint of {@code run}'s current iteration, records its SHA-256, and applies the retention. */
  Path save(TrainingRun run) {
    Map<String, byte[]> extras = new LinkedHashMap<>();
    try {
      extras.put(TRAINING, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(run.state()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    extras.putAll(Checkpoint.runEntries(run.plan().configYaml(), run.provenance().writtenAt(RunClock.now())));
    if (run.ema() != null) {
      extras.put(EMA, Checkpoint.arrayBytes(run.ema().network().params()));
    }
    if (run.discriminator() != null) {
      extras.put(DISCRIMINATOR, Checkpoint.networkBytes(run.discriminator(), true));
    }
    ModelCard card = run.generatorCard();
    Path file = dir.resolve(String.format("iter_%08d.zip", run.iteration()));
    Checkpoint.write(file, run.generator(), card.withProvenance(card.source(), run.iteration(), "raw"), true, extras);
    Map<String, String> sums = checksums();
    sums.put(file.getFileName().toString(), sha256(file));
    int good = 0;
    for (Path p : list()) {
      if (!p.equals(file) && !isGood(p, sums)) {
        continue; // damaged: neither counted nor deleted
      }
      if (++good > keep) {
        delete(p);
        sums.remove(p.getFileName().toString());
      }
    }
    writeChecksums(sums);
    return file;
  }

  /** Whether {@code p} has its recorded SHA-256; a file without one (an older run's) is checked and recorded. */
  private static boolean isGood(Path p, Map<String, String> sums) {
    String name = p.getFileName().toString();
    if (sums.containsKey(name)) {
      return sums.get(name).equals(sha256(p));
    }
    try {
      Checkpoint.verifyEntries(p);
    } catch (BadInputException e) {
      return false;
    }
    sums.put(name, sha256(p));
    return true;
  }

  /** Makes {@code best.zip} the same file as {@code checkpoint} (a hard link where possible, else a copy). */
  void markBest(Path checkpoint) {
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
      throw new BadInputException(best + ": cannot write (" + e.getMessage() + ")", e);
    }
    Map<String, String> sums = checksums();
    sums.put(best.getFileName().toString(), sums.get(checkpoint.getFileName().toString()));
    writeChecksums(sums);
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
      throw new BadInputException(dir + ": cannot list checkpoints (" + e.getMessage() + ")", e);
    }
  }

  static long iterationOf(Path p) {
    Matcher m = NAME.matcher(p.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /**
   * Reads a training checkpoint after verifying it: the SHA-256 recorded in its folder's checksums.json (when there
   * is one), the CRC of every entry, then its contents.
   */
  public static Restored restore(Path file) {
    verify(file);
    Checkpoint.Loaded loaded = Checkpoint.read(file, true);
    byte[] state = Checkpoint.entry(file, TRAINING).orElseThrow(() ->
        new BadInputException(file + ": not a training checkpoint (no " + TRAINING + "); it can be used as "
            + "path.pretrain_network_g instead"));
    try {
      TrainingState s = JSON.readValue(state, TrainingState.class);
      String config = new String(Checkpoint.entry(file, Checkpoint.CONFIG_ENTRY).orElse(new byte[0]), StandardCharsets.UTF_8);
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
    } catch (IOException | UncheckedIOException e) {
      throw new BadInputException(file + ": corrupt training state (" + e.getMessage() + ")", e);
    }
  }

  /** Fails unless {@code file} has the SHA-256 recorded for it (if any) and every zip entry passes its CRC. */
  static void verify(Path file) {
    Path sumsFile = file.resolveSibling(CHECKSUMS);
    if (Files.isRegularFile(sumsFile)) {
      String recorded = readChecksums(sumsFile).get(file.getFileName().toString());
      if (recorded != null && !recorded.equals(sha256(file))) {
        throw new BadInputException(file + ": its SHA-256 differs from the one recorded when it was written "
            + "(the file was changed or damaged)");
      }
    }
    Checkpoint.verifyEntries(file);
  }

  private Map<String, String> checksums() {
    Path f = dir.resolve(CHECKSUMS);
    return Files.isRegularFile(f) ? new TreeMap<>(readChecksums(f)) : new TreeMap<>();
  }

  private static Map<String, String> readChecksums(Path f) {
    try {
      return JSON.readValue(f.toFile(), new TypeReference<Map<String, String>>() {});
    } catch (IOException e) {
      return Map.of(); // a damaged list only means that files are verified by their CRCs alone
    }
  }

  private void writeChecksums(Map<String, String> sums) {
    Path f = dir.resolve(CHECKSUMS);
    try {
      AtomicFiles.writeString(f, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(sums));
    } catch (IOException e) {
      throw new BadInputException(f + ": cannot write (" + e.getMessage() + ")", e);
    }
  }

  private static void delete(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new BadInputException(p + ": cannot delete an old checkpoint (" + e.getMessage() + ")", e);
    }
  }

  static String sha256(Path file) {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot read (" + e.getMessage() + ")", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
