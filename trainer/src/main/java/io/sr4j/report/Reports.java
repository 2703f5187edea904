package io.sr4j.report;

import io.sr4j.data.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Regenerates the reports of a folder: a run folder gets its report; an experiments folder every run's and its index. */
public final class Reports {
  /** One page written and how long it took. */
  public record Written(Path file, long nanos) {}

  private Reports() {}

  public static List<Written> regenerate(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new BadInputException(dir + ": no such folder (expected a run folder or a folder of runs)");
    }
    List<Written> written = new ArrayList<>();
    if (RunFolder.isRun(dir)) {
      long t0 = System.nanoTime();
      Path out = RunReport.write(dir);
      written.add(new Written(out, System.nanoTime() - t0));
      return written;
    }
    List<Path> runDirs = ExperimentsIndex.runs(dir);
    if (runDirs.isEmpty()) {
      throw new BadInputException(dir + ": neither a run folder (config.yml or metrics.jsonl) nor a folder of runs");
    }
    List<RunFolder> runs = new ArrayList<>();
    for (Path r : runDirs) {
      long t0 = System.nanoTime();
      RunFolder run = RunFolder.read(r);
      Path out = RunReport.write(run);
      written.add(new Written(out, System.nanoTime() - t0));
      runs.add(run);
    }
    long t0 = System.nanoTime();
    Path index = ExperimentsIndex.write(dir, runs);
    written.add(new Written(index, System.nanoTime() - t0));
    return written;
  }
}
