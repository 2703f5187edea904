package io.sr4j.data.download;

import io.sr4j.data.AtomicFiles;
import io.sr4j.data.BadInputException;
import io.sr4j.data.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Files in {@code sha256sum} format ({@code <64 hex digits>  <name>}, or {@code *<name>} for binary mode) and the
 * SHA-256 of files. Names are matched by their last path element.
 */
public final class Sha256Sums {
  private static final Pattern LINE = Pattern.compile("([0-9a-fA-F]{64}) [ *](.+)");

  private Sha256Sums() {}

  /** File name -> lower-case hex digest; an absent file gives an empty map. Blank lines and # comments are skipped. */
  public static Map<String, String> read(Path file) {
    Map<String, String> sums = new LinkedHashMap<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (NoSuchFileException e) {
      return sums;
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new BadInputException(file + ":" + (i + 1) + ": not a sha256sum line ('<64 hex digits>  <file name>'): "
            + line);
      }
      sums.put(Path.of(m.group(2)).getFileName().toString(), m.group(1).toLowerCase(Locale.ROOT));
    }
    return sums;
  }

  /** Adds (or replaces) the line of {@code name} in {@code file}, rewriting it atomically. */
  public static void record(Path file, String name, String hex) {
    Map<String, String> sums = read(file);
    sums.put(name, hex);
    StringBuilder text = new StringBuilder();
    sums.forEach((n, h) -> text.append(h).append("  ").append(n).append('\n'));
    try {
      AtomicFiles.writeString(file, text.toString());
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot write (" + e.getMessage() + ")", e);
    }
  }

  /** Lower-case hex SHA-256 of {@code file}, reporting bytes read to {@code progress} (task started by the caller). */
  public static String sha256(Path file, Progress progress) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        progress.advance(n);
      }
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
