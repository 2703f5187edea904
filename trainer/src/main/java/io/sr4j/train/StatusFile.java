package io.sr4j.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sr4j.data.AtomicFiles;
import io.sr4j.nn.PeakMemory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code status.json} in the run folder, rewritten atomically at the start, at every logged window and validation
 * and at the end, for reports and anyone watching: {@code format}, {@code state} (running, finished, stopped,
 * failed), {@code iteration}, {@code total_iter}, {@code started} and {@code updated} (ISO-8601 UTC),
 * {@code message} (the last log line), {@code peak_rss_mb} and {@code best} ({@code key}, {@code value},
 * {@code iteration}, {@code higher_is_better}; null before the first validation).
 */
final class StatusFile implements TrainingListener {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;
  private final boolean higherIsBetter;
  private final String started = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();

  StatusFile(Path runDir, boolean higherIsBetter) {
    this.file = runDir.resolve("status.json");
    this.higherIsBetter = higherIsBetter;
  }

  @Override
  public void started(TrainingRun run) {
    write(run, "running");
  }

  @Override
  public void stepDone(TrainingRun run, StepEvent step) {
    if (step.iteration() % run.config().logger().printFreq() == 0) {
      write(run, "running");
    }
  }

  @Override
  public void validated(TrainingRun run, long iteration, Map<String, Double> values) {
    write(run, "running");
  }

  @Override
  public void finished(TrainingRun run, Throwable error) {
    write(run, error != null ? "failed" : run.iteration() < run.totalIterations() ? "stopped" : "finished");
  }

  private void write(TrainingRun run, String state) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("format", 1);
    s.put("state", state);
    s.put("iteration", run.iteration());
    s.put("total_iter", run.totalIterations());
    s.put("started", started);
    s.put("updated", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    s.put("message", run.log().lastLine());
    double rss = PeakMemory.residentMb();
    s.put("peak_rss_mb", Double.isNaN(rss) ? null : rss);
    TrainingState t = run.state();
    Map<String, Object> best = null;
    if (t.bestValue() != null) {
      best = new LinkedHashMap<>();
      best.put("key", t.bestKey());
      best.put("value", t.bestValue());
      best.put("iteration", t.bestIteration());
      best.put("higher_is_better", higherIsBetter);
    }
    s.put("best", best);
    try {
      AtomicFiles.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(s));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
