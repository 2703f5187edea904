package io.sr4j.data;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that a reader never sees a half-written one: the content goes to a temporary file in the
 * target's folder, is flushed to disk, and is then renamed over the target.
 */
public final class AtomicFiles {
  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  private AtomicFiles() {}

  /** Produces the file's content at the temporary path it is given. */
  @FunctionalInterface
  public interface ContentWriter {
    void writeTo(Path tmp) throws IOException;
  }

  /** Writes {@code target} atomically; a failure (a full disk, say) is reported with the target's name. */
  public static void write(Path target, ContentWriter writer) throws IOException {
    try {
      writeAtomically(target, writer);
    } catch (IOException e) {
      // a plain IOException ("No space left on device") says nothing of the file; subclasses carry their own meaning
      boolean unnamed = e.getClass() == IOException.class && !String.valueOf(e.getMessage()).contains(target.toString());
      throw unnamed ? new IOException(target + ": " + e.getMessage(), e) : e;
    }
  }

  private static void writeAtomically(Path target, ContentWriter writer) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    // created with the default permissions (createTempFile would make it owner-only)
    Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".part");
    Files.createFile(tmp);
    try {
      writer.writeTo(tmp);
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Deletes the temporary files that writes into {@code dir} left when the process was killed mid-write (they are
   * never renamed into place, so nothing reads them); returns how many.
   */
  public static int removeStaleParts(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int removed = 0;
    try (var files = Files.newDirectoryStream(dir, ".*.part")) {
      for (Path p : files) {
        Files.deleteIfExists(p);
        removed++;
      }
    }
    return removed;
  }

  public static void writeString(Path target, String content) throws IOException {
    write(target, tmp -> Files.writeString(tmp, content));
  }
}
