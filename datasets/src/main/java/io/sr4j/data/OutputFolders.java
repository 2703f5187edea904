package io.sr4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Output folders of the data tools: new or empty, so that a run never mixes its files with older ones. */
public final class OutputFolders {
  private OutputFolders() {}

  /** Creates {@code dir}, or accepts it when it exists and is empty; fails naming it otherwise. */
  public static void prepareEmpty(Path dir) {
    try {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> entries = Files.list(dir)) {
          if (entries.findAny().isPresent()) {
            throw new BadInputException(dir + ": output folder exists and is not empty; give a new or empty folder");
          }
        }
      } else if (Files.exists(dir)) {
        throw new BadInputException(dir + ": exists and is not a folder");
      }
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new BadInputException(dir + ": cannot create the output folder (" + e.getMessage() + ")", e);
    }
  }
}
