package io.sr4j.train;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/** What built and runs this code: project version, git commit of the checkout, ND4J version and backend. */
public final class BuildInfo {
  private BuildInfo() {}

  /** The jar's version, or "development build" when run from classes. */
  public static String version() {
    String v = BuildInfo.class.getPackage().getImplementationVersion();
    return v == null ? "development build" : v;
  }

  /**
   * The commit checked out in the project folder ({@code sr4j.home}, set by the launcher and the tests); null outside
   * a git checkout. Uncommitted changes are not detected.
   */
  public static String gitCommit() {
    String home = System.getProperty("sr4j.home");
    if (home == null) {
      return null;
    }
    try {
      Path git = Path.of(home, ".git");
      if (Files.isRegularFile(git)) { // a worktree: "gitdir: <path>"
        git = Path.of(Files.readString(git).trim().substring("gitdir:".length()).trim());
      }
      String head = Files.readString(git.resolve("HEAD")).trim();
      if (!head.startsWith("ref: ")) {
        return head;
      }
      String ref = head.substring(5);
      for (Path dir = git; dir != null; dir = commonDir(dir)) {
        Path loose = dir.resolve(ref);
        if (Files.isRegularFile(loose)) {
          return Files.readString(loose).trim();
        }
        Path packed = dir.resolve("packed-refs");
        if (Files.isRegularFile(packed)) {
          for (String line : Files.readAllLines(packed)) {
            if (line.endsWith(" " + ref)) {
              return line.substring(0, line.indexOf(' '));
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }

  private static Path commonDir(Path gitDir) throws IOException {
    Path common = gitDir.resolve("commondir");
    return Files.isRegularFile(common) ? gitDir.resolve(Files.readString(common).trim()).normalize() : null;
  }

  /** ND4J's version, from its Maven metadata. */
  public static String nd4jVersion() {
    try (InputStream in = Nd4j.class.getResourceAsStream("/META-INF/maven/org.nd4j/nd4j-api/pom.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The ND4J backend in use, e.g. CpuBackend. */
  public static String nd4jBackend() {
    return Nd4j.getBackend().getClass().getSimpleName();
  }
}
