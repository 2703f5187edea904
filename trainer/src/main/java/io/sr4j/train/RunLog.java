package io.sr4j.train;

import io.sr4j.data.BadInputException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * What a run tells its user: log lines go to {@code train.log} and to the console. On a terminal the console shows a
 * progress bar ({@link ProgressDisplay}) and iteration lines go to the file only; otherwise (nohup, cluster jobs)
 * iteration lines, with an ETA, go to the console too.
 */
public final class RunLog implements AutoCloseable {
  /** Where console lines go (a CLI's stdout, or nowhere in tests). */
  @FunctionalInterface
  public interface Sink {
    void println(String line);
  }

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private final Path logFile;
  private final BufferedWriter file;
  private final Sink console;
  private final boolean terminal;
  private String lastLine = "";

  public RunLog(Path logFile, Sink console, boolean terminal) {
    this.logFile = logFile;
    try {
      Files.createDirectories(logFile.getParent());
      this.file = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw failure(e);
    }
    this.console = console;
    this.terminal = terminal;
  }

  /** Whether the console is a terminal (then a progress bar replaces the iteration lines there). */
  public boolean terminal() {
    return terminal;
  }

  /** Writes a line to train.log (time-stamped) and to the console. */
  public synchronized void line(String text) {
    write(text);
    console.println(text);
    lastLine = text;
  }

  /** A line for train.log only (a warning also goes to the console through {@link #line}). */
  synchronized void fileOnly(String text) {
    write(text);
    lastLine = text;
  }

  /** Appends a time-stamped line and flushes it; a failed write (a full disk) stops the run naming the file. */
  private void write(String text) {
    try {
      file.write(LocalDateTime.now().format(TIME) + " " + text + System.lineSeparator());
      file.flush();
    } catch (IOException e) {
      throw failure(e);
    }
  }

  private BadInputException failure(IOException e) {
    return new BadInputException(logFile + ": cannot write the run's log (" + e.getMessage() + ")", e);
  }

  /** The last line logged. */
  public synchronized String lastLine() {
    return lastLine;
  }

  /**
   * An iteration line: {@code [iter 100/2400] eta 4m12s, 0.105 s/it (data 0.001 s), lr 1.000e-03, epoch 3,
   * l_pix 2.075e-03, peak 1510 MB}.
   */
  void iteration(long done, long total, double etaSeconds, Map<String, Double> values) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "[iter %d/%d] eta %s", done, total,
        duration(etaSeconds)));
    values.forEach((k, v) -> sb.append(", ").append(switch (k) {
      case "time_per_iter" -> String.format(Locale.ROOT, "%.3f s/it", v);
      case "data_time" -> String.format(Locale.ROOT, "(data %.3f s)", v);
      case "lr" -> String.format(Locale.ROOT, "lr %.3e", v);
      case "epoch" -> String.format(Locale.ROOT, "epoch %d", v.longValue());
      case "peak_rss_mb" -> String.format(Locale.ROOT, "peak %.0f MB", v);
      default -> String.format(Locale.ROOT, "%s %.4e", k, v);
    }));
    String text = sb.toString().replace(", (data", " (data");
    if (terminal) {
      fileOnly(text);
    } else {
      line(text);
    }
  }

  void validation(long done, Map<String, Double> values) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "[validation %d]", done));
    values.forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s: %.4f", k, v)));
    line(sb.toString());
  }

  /** "1h02m", "4m12s", "38s". */
  public static String duration(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) {
      return "?";
    }
    long s = Math.round(seconds);
    if (s >= 3600) {
      return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    }
    return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
  }

  @Override
  public void close() {
    try {
      file.close();
    } catch (IOException e) {
      throw failure(e);
    }
  }
}
