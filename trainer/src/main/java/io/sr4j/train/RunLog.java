package io.sr4j.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * What a run tells its user: log lines go to {@code train.log} and to the console; on a terminal a progress bar
 * shows iteration, it/s, ETA, the running loss and the last validation value.
 */
public final class RunLog implements AutoCloseable {
  /** Where console lines go (a CLI's stdout, or nowhere in tests). */
  @FunctionalInterface
  public interface Sink {
    void println(String line);
  }

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private final PrintWriter file;
  private final Sink console;
  private final boolean terminal = System.console() != null;

  public RunLog(Path logFile, Sink console) {
    try {
      Files.createDirectories(logFile.getParent());
      this.file = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND), true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.console = console;
  }

  public void line(String text) {
    String stamped = LocalDateTime.now().format(TIME) + " " + text;
    file.println(stamped);
    console.println(text);
  }

  PrintWriter writer() {
    return file;
  }

  void iteration(long done, long total, Map<String, Double> values) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "[iter %d/%d]", done, total));
    for (Map.Entry<String, Double> v : values.entrySet()) {
      sb.append(String.format(Locale.ROOT, " %s: %.4g", v.getKey(), v.getValue()));
    }
    if (terminal) {
      file.println(LocalDateTime.now().format(TIME) + " " + sb);
    } else {
      line(sb.toString());
    }
  }

  void validation(long done, Map<String, Double> values) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "[validation %d]", done));
    for (Map.Entry<String, Double> v : values.entrySet()) {
      sb.append(String.format(Locale.ROOT, " %s: %.4f", v.getKey(), v.getValue()));
    }
    line(sb.toString());
  }

  /** A progress display from {@code start} to {@code total} iterations (a bar on terminals, nothing otherwise). */
  Progress progress(long start, long total) {
    if (!terminal) {
      return new Progress(null);
    }
    ProgressBar bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(total)
        .startsFrom(start, Duration.ZERO).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
        .showSpeed().setUnit(" it", 1).build();
    return new Progress(bar);
  }

  /** The progress bar of a run (no-op when not on a terminal). */
  static final class Progress implements AutoCloseable {
    private final ProgressBar bar;
    private String lossText = "";
    private String valText = "";

    Progress(ProgressBar bar) {
      this.bar = bar;
    }

    void step(long done, double loss) {
      if (bar != null) {
        lossText = String.format(Locale.ROOT, "loss %.3e", loss);
        bar.stepTo(done);
        bar.setExtraMessage(lossText + valText);
      }
    }

    void validation(Double value) {
      if (value != null) {
        valText = String.format(Locale.ROOT, ", val %.3f", value);
      }
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
      }
    }
  }

  @Override
  public void close() {
    file.close();
  }
}
