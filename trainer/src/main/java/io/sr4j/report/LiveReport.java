package io.sr4j.report;

import io.sr4j.data.BadInputException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Keeps a training run's {@code report.html} current: {@link #update()} rewrites it (at every validation and at the
 * end) and adds up the time spent. A report that cannot be written is logged and does not stop training.
 */
public final class LiveReport {
  private final Path runDir;
  private final Consumer<String> log;
  private long nanos;
  private int writes;

  public LiveReport(Path runDir, Consumer<String> log) {
    this.runDir = runDir;
    this.log = log;
  }

  public void update() {
    long t0 = System.nanoTime();
    try {
      RunReport.write(runDir);
      writes++;
    } catch (UncheckedIOException | BadInputException e) {
      log.accept("report.html not written: " + e.getMessage());
    }
    nanos += System.nanoTime() - t0;
  }

  /** "report.html: written 5 times, 0.21 s in all". */
  public String summary() {
    return String.format(Locale.ROOT, "report.html: written %d times, %.2f s in all", writes, nanos / 1e9);
  }
}
