package io.sr4j.ckpt;

import com.fasterxml.jackson.databind.JsonNode;
import io.sr4j.config.ConfigLoader;
import io.sr4j.config.InvalidValue;
import io.sr4j.data.BadInputException;
import io.sr4j.data.Progress;
import io.sr4j.data.download.ResumableDownload;
import io.sr4j.data.download.Sha256Sums;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The weights zoo: published files (VGG-19 for the perceptual loss; VGG-16, AlexNet and the linear layers of LPIPS;
 * ESRGAN and BasicSR generators) by short names, with their official URLs and what their publishers state about size
 * and hash (the catalogue {@code weights_zoo.yml} next to this class cites the sources). Downloads resume
 * ({@link ResumableDownload}), are verified (stated size, full SHA-256 or the SHA-256 prefix in the file name, and
 * the SHA-256 recorded at the first download, trust on first use) and appear under their final name only once
 * verified. The cache is {@code $SR4J_HOME/weights}, else {@code ~/.cache/sr4j/weights}; configs and {@code --model}
 * name its files as {@code zoo:NAME} ({@link #resolve}).
 */
public final class WeightsZoo {
  /** How configs and {@code --model} name a zoo entry: {@code zoo:vgg19}. */
  public static final String PREFIX = "zoo:";
  /** File in a download folder recording the SHA-256 of every file downloaded there. */
  public static final String RECORDED_SUMS = "SHA256SUMS";

  private static final String CATALOGUE_RESOURCE = "weights_zoo.yml";
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]*");
  private static final Pattern HEX = Pattern.compile("[0-9a-f]+");
  private static final BigDecimal BYTES_PER_MIB = BigDecimal.valueOf(1L << 20);

  /**
   * One published file.
   *
   * @param name short name users type ({@code vgg19})
   * @param file file name in the cache
   * @param url where the publisher serves it
   * @param kind what reads it: vgg19, vgg16, alexnet, lpips_linear or generator
   * @param use one line for listings
   * @param sha256 full SHA-256 stated by the publisher, or null
   * @param sha256Prefix leading hex digits of the SHA-256 that the publisher's file name carries, or null
   * @param sizeBytes exact size stated by the publisher, or null
   * @param sizeMib size in MiB as the publisher states it (checked to the decimals written), or null
   * @param source where URL, size and hash come from
   */
  public record Entry(String name, String file, URI url, String kind, String use, String sha256, String sha256Prefix,
      Long sizeBytes, String sizeMib, String source) {
    public Entry {
      require(name != null && NAME.matcher(name).matches(), "name", name, "lower-case letters, digits, '-' and '.'");
      require(file != null && !file.isBlank() && Path.of(file).getFileName().toString().equals(file)
          && !file.startsWith("."), "file", file, "a plain file name");
      require(url != null && url.isAbsolute(), "url", url, "an absolute URL");
      require(List.of("vgg19", "vgg16", "alexnet", "lpips_linear", "generator").contains(kind), "kind", kind,
          "vgg19, vgg16, alexnet, lpips_linear or generator");
      require(use != null && !use.isBlank(), "use", use, "a description");
      require(source != null && !source.isBlank(), "source", source, "where URL, size and hash come from");
      require(sha256 == null || sha256.length() == 64 && HEX.matcher(sha256).matches(), "sha256", sha256,
          "64 lower-case hex digits");
      require(sha256Prefix == null || sha256Prefix.length() >= 8 && sha256Prefix.length() < 64
          && HEX.matcher(sha256Prefix).matches(), "sha256_prefix", sha256Prefix, "8 to 63 lower-case hex digits");
      require(sizeBytes == null || sizeBytes > 0, "size_bytes", sizeBytes, "a positive number of bytes");
      require(sizeMib == null || sizeMib.matches("\\d+(\\.\\d+)?"), "size_mib", sizeMib, "a decimal number");
    }

    private static void require(boolean ok, String key, Object value, String expected) {
      if (!ok) {
        throw new InvalidValue(key, value == null ? "(missing)" : "'" + value + "'", expected);
      }
    }

    /** How a download of this file is checked, for listings. */
    public String verification() {
      List<String> checks = new ArrayList<>();
      if (sha256 != null) {
        checks.add("SHA-256");
      } else if (sha256Prefix != null) {
        checks.add("SHA-256 prefix " + sha256Prefix);
      }
      if (sizeBytes != null) {
        checks.add(String.format(Locale.ROOT, "size %,d bytes", sizeBytes));
      } else if (sizeMib != null) {
        checks.add("size " + sizeMib + " MiB");
      }
      if (sha256 == null) {
        checks.add("SHA-256 of the first download");
      }
      return String.join(", ", checks);
    }
  }

  /** The catalogue file: its entries, in listing order. */
  public record Catalogue(List<Entry> weights) {
    public Catalogue {
      weights = List.copyOf(weights);
      Set<String> names = new HashSet<>();
      Set<String> files = new HashSet<>();
      for (Entry e : weights) {
        if (!names.add(e.name()) || !files.add(e.file())) {
          throw new InvalidValue("weights", "'" + e.name() + "' / '" + e.file() + "'",
              "every name and file once");
        }
      }
    }

    /** The catalogue shipped with sr4j. */
    public static Catalogue bundled() {
      try (InputStream in = WeightsZoo.class.getResourceAsStream(CATALOGUE_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(CATALOGUE_RESOURCE + " is missing from the class path");
        }
        JsonNode tree = ConfigLoader.mapper().readTree(in);
        return ConfigLoader.bind(tree, Catalogue.class, "the bundled " + CATALOGUE_RESOURCE);
      } catch (IOException e) {
        throw new IllegalStateException("cannot read the bundled " + CATALOGUE_RESOURCE, e);
      }
    }

    /** A catalogue file in the same format (a mirror, or in-house weights). */
    public static Catalogue read(Path file) {
      return ConfigLoader.bind(ConfigLoader.readTree(file), Catalogue.class, file.toString());
    }
  }

  /** What a download did: the file, its SHA-256, and whether it was there already or its hash was seen first now. */
  public record Download(Entry entry, Path file, String sha256, boolean alreadyPresent, boolean firstSeenHash) {}

  private final Catalogue catalogue;
  private final Path cacheDir;

  /** A zoo of {@code catalogue} whose downloads go to {@code cacheDir} by default. */
  public WeightsZoo(Catalogue catalogue, Path cacheDir) {
    this.catalogue = catalogue;
    this.cacheDir = cacheDir;
  }

  /** The bundled catalogue with the standard cache folder ({@link #defaultCacheDir()}). */
  public static WeightsZoo standard() {
    return new WeightsZoo(Catalogue.bundled(), defaultCacheDir());
  }

  /** {@code $SR4J_HOME/weights} when SR4J_HOME is set, else {@code ~/.cache/sr4j/weights}. */
  public static Path defaultCacheDir() {
    String home = System.getenv("SR4J_HOME");
    Path root = home != null && !home.isBlank() ? Path.of(home)
        : Path.of(System.getProperty("user.home"), ".cache", "sr4j");
    return root.resolve("weights");
  }

  public List<Entry> entries() {
    return catalogue.weights();
  }

  public Path cacheDir() {
    return cacheDir;
  }

  /** The entry called {@code name}, or an error listing the names (and the closest one). */
  public Entry entry(String name) {
    for (Entry e : catalogue.weights()) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    List<String> names = catalogue.weights().stream().map(Entry::name).toList();
    String closest = io.sr4j.data.Suggestions.closest(name, names);
    throw new BadInputException("no weights called '" + name + "' in the zoo"
        + (closest == null ? "" : "; did you mean " + closest + "?") + " (available: " + String.join(", ", names)
        + "; see ./sr weights list)");
  }

  /** Where {@code e} is (or would be) in the cache. */
  public Path cachedFile(Entry e) {
    return cacheDir.resolve(e.file());
  }

  /**
   * A file named in a config or on the command line: a {@code zoo:NAME} reference becomes the cached file of that
   * entry, which must have been downloaded (the error says the command that does it); anything else is a path,
   * returned as it is. {@code configKey} names where the value came from, for messages. Null stays null.
   */
  public static Path resolve(String pathOrZooRef, String configKey) {
    if (pathOrZooRef == null) {
      return null;
    }
    if (!pathOrZooRef.startsWith(PREFIX)) {
      return Path.of(pathOrZooRef);
    }
    return standard().resolveRef(pathOrZooRef, configKey);
  }

  /** As {@link #resolve} for a {@code zoo:NAME} reference, in this zoo. */
  public Path resolveRef(String zooRef, String configKey) {
    String name = zooRef.substring(PREFIX.length());
    Entry e;
    try {
      e = entry(name);
    } catch (BadInputException unknown) {
      throw new BadInputException(configKey + ": " + zooRef + ": " + unknown.getMessage());
    }
    Path file = cachedFile(e);
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(configKey + ": " + zooRef + " is not downloaded (no " + file
          + "); fetch it with: ./sr weights download " + e.name());
    }
    String sizeProblem = sizeProblem(e, size(file));
    if (sizeProblem != null) {
      throw new BadInputException(configKey + ": " + zooRef + ": " + file + " " + sizeProblem
          + "; delete it and run ./sr weights download " + e.name());
    }
    return file;
  }

  /**
   * Downloads entry {@code name} into {@code dir} (the cache when null): resumably through a hidden staging file,
   * verified, then renamed to its final name. A file already there is verified instead of downloaded again. A file
   * that fails a check is deleted (a download) or reported (a file that was there), naming what differs.
   */
  public Download download(String name, Path dir, int attempts, Progress progress) throws InterruptedException {
    Entry e = entry(name);
    Path folder = dir == null ? cacheDir : dir;
    try {
      Files.createDirectories(folder);
    } catch (IOException ex) {
      throw new BadInputException(folder + ": cannot create the folder (" + ex.getMessage() + ")", ex);
    }
    Path target = folder.resolve(e.file());
    Path sums = folder.resolve(RECORDED_SUMS);
    if (Files.isRegularFile(target)) {
      try {
        Verified v = verify(e, target, sums, progress);
        return new Download(e, target, v.sha256(), true, false);
      } catch (BadInputException bad) {
        throw new BadInputException(bad.getMessage() + "; delete it to download it anew", bad);
      }
    }
    Path staging = folder.resolve("." + e.file() + ".download");
    if (!Files.isRegularFile(staging)) {
      new ResumableDownload(attempts).fetch(e.url(), staging, progress);
    }
    Verified v;
    try {
      v = verify(e, staging, sums, progress);
    } catch (BadInputException bad) {
      deleteQuietly(staging);
      throw new BadInputException(e.url() + ": the downloaded file " + bad.getMessage()
          + "; it was deleted, run the command again to download it anew", bad);
    }
    if (v.firstSeen()) {
      Sha256Sums.record(sums, e.file(), v.sha256());
    }
    try {
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException ex) {
        Files.move(staging, target);
      }
    } catch (IOException ex) {
      throw new BadInputException(target + ": cannot move the verified download into place (" + ex.getMessage() + ")",
          ex);
    }
    return new Download(e, target, v.sha256(), false, v.firstSeen());
  }

  private record Verified(String sha256, boolean firstSeen) {}

  /** Checks {@code file} against what the publisher states and against the SHA-256 recorded in {@code sums}. */
  private static Verified verify(Entry e, Path file, Path sums, Progress progress) {
    long size = size(file);
    String sizeProblem = sizeProblem(e, size);
    if (sizeProblem != null) {
      throw new BadInputException(file + " " + sizeProblem);
    }
    String sha256;
    progress.start("checking " + e.file(), size, "B");
    try {
      sha256 = Sha256Sums.sha256(file, progress);
    } finally {
      progress.finish();
    }
    if (e.sha256() != null && !e.sha256().equals(sha256)) {
      throw new BadInputException(file + " has SHA-256 " + sha256 + ", the publisher states " + e.sha256());
    }
    if (e.sha256Prefix() != null && !sha256.startsWith(e.sha256Prefix())) {
      throw new BadInputException(file + " has SHA-256 " + sha256 + ", which does not start with " + e.sha256Prefix()
          + " as the publisher's file name says");
    }
    String recorded = Sha256Sums.read(sums).get(e.file());
    if (recorded != null && !recorded.equals(sha256)) {
      throw new BadInputException(file + " has SHA-256 " + sha256 + ", not the " + recorded + " recorded in " + sums
          + " when it was first downloaded");
    }
    return new Verified(sha256, recorded == null);
  }

  /** Why {@code bytes} is not the size the publisher states, or null when it is (or none is stated). */
  static String sizeProblem(Entry e, long bytes) {
    if (e.sizeBytes() != null && bytes != e.sizeBytes()) {
      return String.format(Locale.ROOT, "has %,d bytes, the publisher states %,d", bytes, e.sizeBytes());
    }
    if (e.sizeMib() != null) {
      BigDecimal stated = new BigDecimal(e.sizeMib());
      BigDecimal actual = BigDecimal.valueOf(bytes).divide(BYTES_PER_MIB);
      BigDecimal halfUnit = BigDecimal.ONE.movePointLeft(stated.scale()).divide(BigDecimal.valueOf(2));
      if (actual.subtract(stated).abs().compareTo(halfUnit) > 0) {
        return String.format(Locale.ROOT, "has %,d bytes (%s MiB), the publisher states %s MiB", bytes,
            actual.setScale(stated.scale(), RoundingMode.HALF_EVEN).toPlainString(), e.sizeMib());
      }
    }
    return null;
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException ex) {
      throw new BadInputException(file + ": cannot read (" + ex.getMessage() + ")", ex);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // the next run verifies a leftover staging file before using it
    }
  }
}
