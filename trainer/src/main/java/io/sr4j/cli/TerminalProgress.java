package io.sr4j.cli;

import io.sr4j.data.Progress;
import java.io.PrintWriter;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Shows {@link Progress} as a progress bar on stderr when the process runs on a terminal; otherwise (pipes, logs,
 * tests) only the info lines are printed. Info lines always go to the command's standard output.
 */
final class TerminalProgress implements Progress {
  private final PrintWriter out;
  private final boolean bars;
  private ProgressBar bar;

  private TerminalProgress(PrintWriter out, boolean bars) {
    this.out = out;
    this.bars = bars;
  }

  /** Bars when a console is attached. */
  static TerminalProgress to(PrintWriter out) {
    return new TerminalProgress(out, System.console() != null);
  }

  @Override
  public synchronized void start(String task, long total, String unit) {
    finish();
    if (!bars) {
      return;
    }
    ProgressBarBuilder builder = new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(total)
        .setConsumer(new ConsoleProgressBarConsumer(System.err))
        .setUpdateIntervalMillis(250)
        .showSpeed();
    if (unit.equals("B")) {
      builder.setUnit(" MiB", 1 << 20);
    } else {
      builder.setUnit(" " + unit, 1);
    }
    bar = builder.build();
  }

  @Override
  public synchronized void advance(long amount) {
    if (bar != null) {
      bar.stepBy(amount);
    }
  }

  @Override
  public synchronized void finish() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }

  @Override
  public synchronized void info(String line) {
    out.println(line);
    out.flush();
  }
}
