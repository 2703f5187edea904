package io.sr4j.spark;

import io.sr4j.data.AtomicFiles;
import io.sr4j.data.BadInputException;
import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.infer.Upscaler;
import io.sr4j.infer.ImageUpscaling;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The files of a job on any Hadoop file system: local paths, {@code file:}, {@code hdfs:}, {@code s3a:}, ... Images
 * are decoded and encoded by {@link ImageFiles} (the same bytes as the {@code sr} commands write); files on other
 * file systems pass through a local temporary copy. Every write is atomic: a temporary file beside the target,
 * then a rename, so a reader (or a skip-existing check) never sees half a file, and two attempts of one task
 * (retry, speculation) write the same bytes to the same name. Local files are written without Hadoop's
 * {@code .crc} side files.
 *
 * <p>Serializable: it carries the driver's Hadoop configuration to the executors.
 */
final class HadoopFiles implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, String> settings;
  private transient Configuration conf;

  HadoopFiles(Configuration driverConf) {
    settings = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : driverConf) {
      settings.put(e.getKey(), e.getValue());
    }
  }

  private Configuration conf() {
    if (conf == null) {
      Configuration c = new Configuration(false);
      settings.forEach(c::set);
      conf = c;
    }
    return conf;
  }

  private FileSystem fs(Path path) {
    try {
      FileSystem fs = path.getFileSystem(conf());
      return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
    } catch (IOException e) {
      throw new BadInputException(path + ": no file system for this path (" + e.getMessage() + ")", e);
    }
  }

  /** A path or URI as users give it, fully qualified ({@code file:/abs/dir}, {@code hdfs://nn:8020/dir}). */
  String qualify(String pathOrUri) {
    Path p = new Path(pathOrUri);
    return fs(p).makeQualified(p).toString();
  }

  /** {@code child} inside the folder {@code dirUri}. */
  static String resolve(String dirUri, String child) {
    return new Path(new Path(dirUri), child).toString();
  }

  /** The last name of a path or URI. */
  static String fileName(String uri) {
    return new Path(uri).getName();
  }

  /** The local file a {@code file:} URI names, or null for other file systems. */
  java.nio.file.Path localPath(String uri) {
    Path p = new Path(uri);
    return "file".equals(fs(p).getUri().getScheme()) ? java.nio.file.Path.of(p.toUri().getPath()) : null;
  }

  boolean exists(String uri) {
    Path p = new Path(uri);
    try {
      return fs(p).exists(p);
    } catch (IOException e) {
      throw new UncheckedIOException(uri + ": cannot check (" + e.getMessage() + ")", e);
    }
  }

  boolean isDirectory(String uri) {
    Path p = new Path(uri);
    try {
      return fs(p).getFileStatus(p).isDirectory();
    } catch (java.io.FileNotFoundException e) {
      return false;
    } catch (IOException e) {
      throw new BadInputException(uri + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  /** The files directly inside the folder {@code dirUri}, sorted by name (none when it does not exist). */
  List<String> listFiles(String dirUri) {
    Path dir = new Path(dirUri);
    try {
      FileSystem fs = fs(dir);
      if (!fs.exists(dir)) {
        return List.of();
      }
      List<String> out = new ArrayList<>();
      for (FileStatus s : fs.listStatus(dir)) {
        if (s.isFile()) {
          out.add(s.getPath().toString());
        }
      }
      out.sort(Comparator.comparing(HadoopFiles::fileName));
      return out;
    } catch (IOException e) {
      throw new BadInputException(dirUri + ": cannot list folder (" + e.getMessage() + ")", e);
    }
  }

  /** The image files (by extension, as {@link ImageFiles#list}) directly inside a folder, sorted by name. */
  List<String> listImages(String dirUri) {
    if (!isDirectory(dirUri)) {
      throw new BadInputException(dirUri + ": not a directory, expected a folder of images");
    }
    List<String> images = listFiles(dirUri).stream()
        .filter(u -> ImageFiles.hasImageExtension(java.nio.file.Path.of(fileName(u)))).toList();
    if (images.isEmpty()) {
      throw new BadInputException(dirUri + ": no images found (expected files ending in ."
          + String.join(", .", ImageFiles.EXTENSIONS.stream().sorted().toList()) + ")");
    }
    return images;
  }

  /** The entries of a list file, one path or URI a line (relative ones are relative to the list's folder). */
  List<String> readList(String listUri) {
    String parent = new Path(listUri).getParent().toString();
    List<String> out = new ArrayList<>();
    for (String line : readString(listUri).split("\n")) {
      String entry = line.strip();
      if (!entry.isEmpty()) {
        Path p = new Path(entry);
        out.add(qualify(p.isAbsoluteAndSchemeAuthorityNull() || p.toUri().getScheme() != null ? entry
            : resolve(parent, entry)));
      }
    }
    if (out.isEmpty()) {
      throw new BadInputException(listUri + ": the list is empty, expected one image path or URI a line");
    }
    return out;
  }

  String readString(String uri) {
    Path p = new Path(uri);
    try (InputStream in = fs(p).open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.FileNotFoundException e) {
      throw new BadInputException(uri + ": no such file");
    } catch (IOException e) {
      throw new BadInputException(uri + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  /** Decodes the image at {@code uri} (errors name the URI). */
  Image readImage(String uri) {
    java.nio.file.Path local = localPath(uri);
    if (local != null) {
      return ImageFiles.read(local);
    }
    java.nio.file.Path tmpDir = null;
    try {
      tmpDir = Files.createTempDirectory("sr4j-in");
      java.nio.file.Path copy = tmpDir.resolve(fileName(uri));
      Path p = new Path(uri);
      try (InputStream in = fs(p).open(p)) {
        Files.copy(in, copy);
      }
      try {
        return ImageFiles.read(copy);
      } catch (BadInputException e) {
        throw new BadInputException(e.getMessage().replace(copy.toString(), uri), e);
      }
    } catch (java.io.FileNotFoundException e) {
      throw new BadInputException(uri + ": no such file");
    } catch (IOException e) {
      throw new BadInputException(uri + ": cannot read (" + e.getMessage() + ")", e);
    } finally {
      deleteTree(tmpDir);
    }
  }

  /** Encodes {@code image} to {@code uri} (format from the extension) atomically; returns what was written. */
  OutputFile writeImage(Image image, String uri) {
    java.nio.file.Path local = localPath(uri);
    if (local != null) {
      ImageFiles.write(image, local);
      return OutputFile.of(uri, read(local));
    }
    java.nio.file.Path tmpDir = null;
    try {
      tmpDir = Files.createTempDirectory("sr4j-out");
      java.nio.file.Path encoded = tmpDir.resolve(fileName(uri));
      ImageFiles.write(image, encoded);
      byte[] bytes = Files.readAllBytes(encoded);
      writeBytes(uri, bytes);
      return OutputFile.of(uri, bytes);
    } catch (IOException e) {
      throw new BadInputException(uri + ": cannot write (" + e.getMessage() + ")", e);
    } finally {
      deleteTree(tmpDir);
    }
  }

  /**
   * Upscales the image at {@code source} into {@code target} exactly as {@code sr upscale} does (the same bytes):
   * through local files, copied from and to other file systems; the output is written atomically.
   */
  OutputFile upscaleImage(Upscaler upscaler, String source, String target, int tilePx, int tilePadPx, long maxPixels) {
    java.nio.file.Path tmpDir = null;
    try {
      tmpDir = Files.createTempDirectory("sr4j-upscale");
      java.nio.file.Path in = localPath(source);
      if (in == null) {
        in = tmpDir.resolve("in-" + fileName(source));
        Path p = new Path(source);
        try (InputStream stream = fs(p).open(p)) {
          Files.copy(stream, in);
        }
      }
      java.nio.file.Path out = tmpDir.resolve(fileName(target));
      try {
        ImageUpscaling.file(upscaler, in, out, tilePx, tilePadPx, maxPixels, count -> n -> { });
      } catch (BadInputException e) {
        throw new BadInputException(e.getMessage().replace(in.toString(), source), e);
      }
      byte[] bytes = Files.readAllBytes(out);
      writeBytes(target, bytes);
      return OutputFile.of(target, bytes);
    } catch (java.io.FileNotFoundException e) {
      throw new BadInputException(source + ": no such file");
    } catch (IOException e) {
      throw new BadInputException(target + ": cannot write (" + e.getMessage() + ")", e);
    } finally {
      deleteTree(tmpDir);
    }
  }

  void writeString(String uri, String content) {
    writeBytes(uri, content.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes {@code bytes} to {@code uri}: to a temporary name beside it, then renamed over it. */
  void writeBytes(String uri, byte[] bytes) {
    java.nio.file.Path local = localPath(uri);
    try {
      if (local != null) {
        AtomicFiles.write(local, tmp -> Files.write(tmp, bytes));
        return;
      }
      Path target = new Path(uri);
      FileSystem fs = fs(target);
      Path tmp = new Path(target.getParent(),
          "." + target.getName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".part");
      try (FSDataOutputStream out = fs.create(tmp, true)) {
        out.write(bytes);
      }
      // HDFS refuses to rename over an existing file: replace it (another attempt wrote the same bytes)
      if (!fs.rename(tmp, target) && !(fs.delete(target, false) && fs.rename(tmp, target))) {
        fs.delete(tmp, false);
        throw new IOException("cannot rename " + tmp + " to " + target);
      }
    } catch (IOException e) {
      throw new BadInputException(uri + ": cannot write (" + e.getMessage() + ")", e);
    }
  }

  /** A new file at {@code uri} that lines are appended to. */
  LineAppender appender(String uri) {
    Path p = new Path(uri);
    try {
      return new LineAppender(fs(p).create(p, true));
    } catch (IOException e) {
      throw new BadInputException(uri + ": cannot create (" + e.getMessage() + ")", e);
    }
  }

  /** Appends lines to a file, each flushed to the file system before {@link #append} returns. */
  static final class LineAppender implements AutoCloseable {
    private final FSDataOutputStream out;

    private LineAppender(FSDataOutputStream out) {
      this.out = out;
    }

    void append(String line) throws IOException {
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.hflush();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  void delete(String uri) {
    Path p = new Path(uri);
    try {
      fs(p).delete(p, false);
    } catch (IOException e) {
      throw new UncheckedIOException(uri + ": cannot delete (" + e.getMessage() + ")", e);
    }
  }

  /** SHA-256 (hex) of the file at {@code uri}, streamed. */
  String sha256(String uri) {
    Path p = new Path(uri);
    try (InputStream in = fs(p).open(p)) {
      MessageDigest md = sha256();
      byte[] buf = new byte[1 << 16];
      for (int n = in.read(buf); n > 0; n = in.read(buf)) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (java.io.FileNotFoundException e) {
      throw new BadInputException(uri + ": no such file");
    } catch (IOException e) {
      throw new BadInputException(uri + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  private static byte[] read(java.nio.file.Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot read back (" + e.getMessage() + ")", e);
    }
  }

  private static void deleteTree(java.nio.file.Path dir) {
    if (dir == null) {
      return;
    }
    try (var entries = Files.walk(dir)) {
      for (java.nio.file.Path p : entries.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a leftover temporary file is harmless; the job's result does not depend on it
    }
  }
}
