package io.sr4j.data.pairs;

import io.sr4j.data.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The data sets shipped in the project's {@code datasets/data} folder (Set5, Set14, T91, BSD100) and resolution of
 * the names users give for them. The project root comes from the {@code sr4j.home} system property (set by the
 * {@code sr} launcher and the build), else it is searched upward from the working directory.
 */
public final class BundledData {
  /** Names of the bundled sets, as users type them. */
  public static final List<String> SETS = List.of("Set5", "Set14", "T91", "BSD100");

  private BundledData() {}

  /** {@code datasets/data} of the project, if it can be found. */
  public static Optional<Path> dataRoot() {
    String home = System.getProperty("sr4j.home");
    if (home != null) {
      Path p = Path.of(home, "datasets", "data");
      return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path p = dir.resolve("datasets").resolve("data");
      if (Files.isDirectory(p.resolve("Set5"))) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The HR folder of a bundled set, by case-insensitive name. */
  public static Optional<Path> hrFolder(String name) {
    for (String set : SETS) {
      if (set.equalsIgnoreCase(name)) {
        return dataRoot().map(root -> root.resolve(set).resolve("HR")).filter(Files::isDirectory);
      }
    }
    return Optional.empty();
  }

  /**
   * An existing folder as given, else the HR folder of the bundled set of that name; otherwise an error that
   * names the value and the bundled sets.
   */
  public static Path resolveHrFolder(String folderOrSetName) {
    Path direct = Path.of(folderOrSetName);
    if (Files.isDirectory(direct)) {
      return direct;
    }
    return hrFolder(folderOrSetName).orElseThrow(() -> new BadInputException(folderOrSetName
        + ": no such folder, and not the name of a bundled set (" + String.join(", ", SETS) + ")"));
  }
}
