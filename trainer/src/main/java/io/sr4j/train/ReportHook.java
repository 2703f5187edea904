package io.sr4j.train;

import io.sr4j.report.LiveReport;
import java.util.Map;

/**
 * Keeps the run's {@code report.html} current: rewritten after a step that validated (once that step's checkpoint
 * policy has run, so best.zip is up to date) and at the end, when the time it took in all is logged.
 */
final class ReportHook implements TrainingListener {
  private LiveReport report;
  private boolean validated;

  @Override
  public void started(TrainingRun run) {
    report = new LiveReport(run.runDir(), run.log()::line);
  }

  @Override
  public void validated(TrainingRun run, long iteration, Map<String, Double> values) {
    validated = true;
  }

  @Override
  public void stepDone(TrainingRun run, StepEvent step) {
    if (validated) {
      validated = false;
      report.update();
    }
  }

  @Override
  public void finished(TrainingRun run, Throwable error) {
    if (report != null) {
      report.update();
      run.log().line(report.summary());
    }
  }
}
