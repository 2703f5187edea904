package io.sr4j.data.download;

import io.sr4j.data.AtomicFiles;
import io.sr4j.data.BadInputException;
import io.sr4j.data.Progress;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Downloads and unpacks DIV2K archives into the standard layout ({@code DIR/DIV2K_train_HR/0001.png},
 * {@code DIR/DIV2K_train_LR_bicubic/X4/0001x4.png}, ...).
 *
 * <p>Per part: skipped when a previous run completed it (its file list in {@code DIR/.sr4j-download/} and every
 * listed file present with its size); otherwise the archive is downloaded (resumably, see
 * {@link ResumableDownload}), its SHA-256 is checked against {@code --checksums} values and against the value
 * recorded in {@code DIR/SHA256SUMS} by an earlier download, it is unpacked with CRC-32 and path checks
 * ({@link ZipUnpacker}), its SHA-256 is recorded in {@code DIR/SHA256SUMS} if it was not, and the archive is
 * deleted (unless kept). An archive that fails a check is deleted so that the next run downloads it anew. The
 * DIV2K site publishes no checksums, so the first download's SHA-256 is the reference for later ones.
 */
public final class Div2kDownloader {
  /** The DIV2K page of the ETH Zurich Computer Vision Lab, where the archives are. */
  public static final String DEFAULT_BASE = "http://data.vision.ee.ethz.ch/cvl/DIV2K/";

  /** {@link #DEFAULT_BASE} as a URI. */
  public static final URI DEFAULT_BASE_URL = URI.create(DEFAULT_BASE);

  /** Name of the file, in the destination folder, that records the SHA-256 of every archive downloaded there. */
  public static final String RECORDED_SUMS = "SHA256SUMS";

  private static final String STATE_DIR = ".sr4j-download";

  private Div2kDownloader() {}

  /**
   * What to download and where.
   *
   * @param dir destination folder
   * @param parts archives to fetch
   * @param baseUrl folder URL the archive names are resolved against
   * @param checksums optional sha256sum-format file with known digests (may be {@code null})
   * @param keepArchives keep the zip files after unpacking
   * @param attempts requests per archive before giving up (each resumes the previous one)
   */
  public record Options(Path dir, List<Div2kPart> parts, URI baseUrl, Path checksums, boolean keepArchives,
      int attempts) {
    public Options {
      parts = List.copyOf(parts);
      if (parts.isEmpty()) {
        throw new IllegalArgumentException("no DIV2K parts to download");
      }
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be >= 1, got " + attempts);
      }
    }
  }

  /** What happened to one part: skipped as already complete, or downloaded and unpacked ({@code files} files). */
  public record PartResult(Div2kPart part, boolean alreadyComplete, int files, String sha256) {}

  /** Fetches every part of {@code options}, in order; stops at the first failure. */
  public static List<PartResult> download(Options options, Progress progress) throws InterruptedException {
    if (options.checksums() != null && !Files.isRegularFile(options.checksums())) {
      throw new BadInputException(options.checksums() + ": no such checksum file");
    }
    Map<String, String> known = options.checksums() == null ? Map.of() : Sha256Sums.read(options.checksums());
    try {
      Files.createDirectories(options.dir().resolve(STATE_DIR));
    } catch (IOException e) {
      throw new BadInputException(options.dir() + ": cannot create the folder (" + e.getMessage() + ")", e);
    }
    ResumableDownload http = new ResumableDownload(options.attempts());
    List<PartResult> results = new ArrayList<>();
    for (Div2kPart part : options.parts()) {
      results.add(fetchPart(part, options, known, http, progress));
    }
    return results;
  }

  private static PartResult fetchPart(Div2kPart part, Options options, Map<String, String> known,
      ResumableDownload http, Progress progress) throws InterruptedException {
    Path dir = options.dir();
    String name = part.archiveName();
    Path fileList = dir.resolve(STATE_DIR).resolve(name + ".files");
    List<ZipUnpacker.UnpackedFile> installed = readFileList(fileList);
    if (installed != null && allPresent(dir, installed)) {
      progress.info(name + ": already complete (" + installed.size() + " files), skipped");
      return new PartResult(part, true, installed.size(), Sha256Sums.read(dir.resolve(RECORDED_SUMS)).get(name));
    }
    Path archive = dir.resolve(name);
    if (!Files.isRegularFile(archive)) {
      http.fetch(options.baseUrl().resolve(name), archive, progress);
    }
    try {
      progress.start("checking " + name, Files.size(archive), "B");
    } catch (IOException e) {
      throw new BadInputException(archive + ": cannot read (" + e.getMessage() + ")", e);
    }
    String sha256;
    try {
      sha256 = Sha256Sums.sha256(archive, progress);
    } finally {
      progress.finish();
    }
    Path recordedSums = dir.resolve(RECORDED_SUMS);
    String recorded = Sha256Sums.read(recordedSums).get(name);
    if (options.checksums() != null && !known.containsKey(name)) {
      progress.info(name + ": no SHA-256 for it in " + options.checksums());
    }
    checkDigest(archive, sha256, known.get(name), options.checksums());
    checkDigest(archive, sha256, recorded, recordedSums);
    List<ZipUnpacker.UnpackedFile> files;
    try {
      files = ZipUnpacker.unpack(archive, dir, progress);
    } catch (BadInputException e) {
      deleteQuietly(archive);
      throw new BadInputException(e.getMessage() + "; the archive was deleted, run again to download it anew", e);
    }
    if (recorded == null) {
      Sha256Sums.record(recordedSums, name, sha256);
    }
    writeFileList(fileList, files);
    if (!options.keepArchives()) {
      deleteQuietly(archive);
    }
    progress.info(name + ": " + files.size() + " files unpacked into " + dir + " (SHA-256 " + sha256 + ")");
    return new PartResult(part, false, files.size(), sha256);
  }

  private static void checkDigest(Path archive, String actual, String expected, Path source) {
    if (expected != null && !expected.equals(actual)) {
      deleteQuietly(archive);
      throw new BadInputException(archive + ": SHA-256 " + actual + " does not match " + expected + " in " + source
          + "; the archive was deleted, run again to download it anew (or fix " + source + ")");
    }
  }

  /** The file list of a completed part, or {@code null} when there is none. */
  private static List<ZipUnpacker.UnpackedFile> readFileList(Path fileList) {
    if (!Files.isRegularFile(fileList)) {
      return null;
    }
    try {
      List<ZipUnpacker.UnpackedFile> files = new ArrayList<>();
      for (String line : Files.readAllLines(fileList)) {
        int tab = line.indexOf('\t');
        if (tab > 0) {
          files.add(new ZipUnpacker.UnpackedFile(line.substring(tab + 1), Long.parseLong(line.substring(0, tab))));
        }
      }
      return files;
    } catch (IOException | NumberFormatException e) {
      return null; // unreadable: treat the part as not installed
    }
  }

  private static void writeFileList(Path fileList, List<ZipUnpacker.UnpackedFile> files) {
    StringBuilder text = new StringBuilder();
    for (ZipUnpacker.UnpackedFile f : files) {
      text.append(f.size()).append('\t').append(f.name()).append('\n');
    }
    try {
      AtomicFiles.writeString(fileList, text.toString());
    } catch (IOException e) {
      throw new BadInputException(fileList + ": cannot write (" + e.getMessage() + ")", e);
    }
  }

  private static boolean allPresent(Path dir, List<ZipUnpacker.UnpackedFile> files) {
    for (ZipUnpacker.UnpackedFile f : files) {
      try {
        Path p = dir.resolve(f.name());
        if (!Files.isRegularFile(p) || Files.size(p) != f.size()) {
          return false;
        }
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a leftover archive is re-checked by the next run
    }
  }
}
