package io.sr4j.data.download;

import io.sr4j.data.AtomicFiles;
import io.sr4j.data.BadInputException;
import io.sr4j.data.Progress;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Unpacks a zip archive into a folder, safely: every entry name is checked before anything is written (no
 * {@code ..} segments, no absolute or drive paths, nothing that resolves outside the folder), and every file's
 * CRC-32 and size are checked against the archive's directory while it is written. Files appear atomically.
 */
public final class ZipUnpacker {
  private ZipUnpacker() {}

  /** One unpacked file: its path relative to the destination ('/'-separated) and its size in bytes. */
  public record UnpackedFile(String name, long size) {}

  /** Unpacks {@code archive} into {@code destination}, reporting files written to {@code progress}. */
  public static List<UnpackedFile> unpack(Path archive, Path destination, Progress progress) {
    Path root = destination.toAbsolutePath().normalize();
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      List<? extends ZipEntry> entries = Collections.list(zip.entries());
      for (ZipEntry e : entries) {
        checkName(archive, root, e.getName());
      }
      List<ZipEntry> files = entries.stream().filter(e -> !e.isDirectory()).map(e -> (ZipEntry) e).toList();
      List<UnpackedFile> written = new ArrayList<>(files.size());
      progress.start("unpacking " + archive.getFileName(), files.size(), "files");
      try {
        for (ZipEntry e : files) {
          Path target = root.resolve(e.getName()).normalize();
          long size = extract(zip, e, archive, target);
          written.add(new UnpackedFile(root.relativize(target).toString().replace('\\', '/'), size));
          progress.advance(1);
        }
      } finally {
        progress.finish();
      }
      return written;
    } catch (IOException e) {
      throw new BadInputException(archive + ": not a readable zip archive (" + e.getMessage() + ")", e);
    }
  }

  private static void checkName(Path archive, Path root, String name) {
    String n = name.replace('\\', '/');
    boolean bad = n.isEmpty() || n.startsWith("/") || (n.length() > 1 && n.charAt(1) == ':')
        || List.of(n.split("/")).contains("..") || !root.resolve(n).normalize().startsWith(root);
    if (bad) {
      throw new BadInputException(archive + ": entry '" + name + "' would be written outside " + root
          + " (absolute path or '..'); the archive is rejected");
    }
  }

  private static long extract(ZipFile zip, ZipEntry entry, Path archive, Path target) {
    long[] size = new long[1];
    try {
      Files.createDirectories(target.getParent());
      AtomicFiles.write(target, tmp -> {
        CRC32 crc = new CRC32();
        try (InputStream in = zip.getInputStream(entry); OutputStream out = Files.newOutputStream(tmp)) {
          byte[] buffer = new byte[1 << 16];
          for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            crc.update(buffer, 0, n);
            out.write(buffer, 0, n);
            size[0] += n;
          }
        }
        if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
          throw new CorruptEntry(String.format(Locale.ROOT, "CRC-32 is %08x, the archive says %08x",
              crc.getValue(), entry.getCrc()));
        }
        if (entry.getSize() != -1 && size[0] != entry.getSize()) {
          throw new CorruptEntry(size[0] + " bytes, the archive says " + entry.getSize());
        }
      });
    } catch (CorruptEntry | ZipException | EOFException e) {
      throw new BadInputException(archive + ": entry '" + entry.getName() + "' is corrupt (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new BadInputException(target + ": cannot write (" + e.getMessage() + ")", e);
    }
    return size[0];
  }

  /** A file whose content does not match the archive's directory. */
  private static final class CorruptEntry extends IOException {
    private static final long serialVersionUID = 1L;

    CorruptEntry(String message) {
      super(message);
    }
  }
}
