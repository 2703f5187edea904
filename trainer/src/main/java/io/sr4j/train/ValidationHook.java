package io.sr4j.train;

import io.sr4j.infer.NetworkUpscaler;
import java.util.Map;

/**
 * Validates every {@code val.val_freq} iterations and at the last one (on the EMA weights when there are any), logs
 * and plots the values and tells every listener.
 */
final class ValidationHook implements TrainingListener {
  private final Validation validation;
  private final MetricsLog metrics;

  ValidationHook(Validation validation, MetricsLog metrics) {
    this.validation = validation;
    this.metrics = metrics;
  }

  @Override
  public void stepDone(TrainingRun run, StepEvent step) {
    long done = step.iteration();
    if (validation.isEmpty() || (done % run.config().val().valFreq() != 0 && done != run.totalIterations())) {
      return;
    }
    Map<String, Double> values = validation.run(
        new NetworkUpscaler(run.evaluationNetwork(), run.generatorCard(), run.config().name()), done);
    metrics.log(done, values);
    metrics.plot();
    run.log().validation(done, values);
    run.publishValidation(done, values);
  }

  @Override
  public void finished(TrainingRun run, Throwable error) {
    metrics.plot();
  }
}
