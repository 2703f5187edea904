package io.sr4j.train;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows progress: on a terminal a bar with iterations, rate (it/s, two decimals), ETA, the running loss and the last
 * validation value; otherwise one early line after the first step (with its time and an ETA), as the periodic
 * iteration lines only come every print_freq iterations.
 */
final class ProgressDisplay implements TrainingListener {
  private ProgressBar bar;
  private String lossText = "";
  private String valText = "";
  private boolean early;

  @Override
  public void started(TrainingRun run) {
    if (run.log().terminal()) {
      bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(run.totalIterations())
          .startsFrom(run.iteration(), Duration.ZERO).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
          .showSpeed(new DecimalFormat("0.00", DecimalFormatSymbols.getInstance(Locale.ROOT))).setUnit(" it", 1)
          .build();
    }
  }

  @Override
  public void stepDone(TrainingRun run, StepEvent step) {
    if (bar != null) {
      double first = step.losses().values().iterator().next();
      lossText = String.format(Locale.ROOT, " | %s %.3e", step.losses().keySet().iterator().next(), first);
      bar.stepTo(step.iteration());
      bar.setExtraMessage(lossText + valText);
    } else if (!early && step.iteration() % run.config().logger().printFreq() != 0) {
      early = true;
      double perIter = step.stepSeconds() + step.dataSeconds();
      run.log().line(String.format(Locale.ROOT, "[iter %d/%d] first step %.3f s; eta %s at this speed (it includes "
          + "warm-up)", step.iteration(), run.totalIterations(), perIter,
          RunLog.duration(perIter * (run.totalIterations() - step.iteration()))));
    }
  }

  @Override
  public void validated(TrainingRun run, long iteration, Map<String, Double> values) {
    Double v = values.get(run.state().bestKey());
    if (v != null) {
      valText = String.format(Locale.ROOT, " | %s %.3f", run.state().bestKey(), v);
    }
  }

  @Override
  public void finished(TrainingRun run, Throwable error) {
    if (bar != null) {
      bar.close();
    }
  }
}
