package io.sr4j.train;

import io.sr4j.config.TrainConfig;
import io.sr4j.nn.PeakMemory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Averages the step losses over each {@code logger.print_freq} window and logs them with the learning rate, the
 * epoch, the time per iteration (compute and waiting for data, seconds), the peak resident memory (MB) and the ETA:
 * one record in metrics.jsonl/.csv and one line in train.log (and on the console when it is not a terminal).
 */
final class LossWindow implements TrainingListener {
  private final MetricsLog metrics;
  private final Map<String, double[]> sums = new LinkedHashMap<>(); // name -> {sum, count}
  private int steps;
  private double stepSeconds;
  private double dataSeconds;

  LossWindow(MetricsLog metrics) {
    this.metrics = metrics;
  }

  @Override
  public void stepDone(TrainingRun run, StepEvent step) {
    step.losses().forEach((k, v) -> {
      double[] acc = sums.computeIfAbsent(k, x -> new double[2]);
      acc[0] += v;
      acc[1]++;
    });
    steps++;
    stepSeconds += step.stepSeconds();
    dataSeconds += step.dataSeconds();
    long done = step.iteration();
    TrainConfig cfg = run.config();
    if (done % cfg.logger().printFreq() == 0 || done == run.totalIterations() || run.stopReason() != null) {
      Map<String, Double> values = new LinkedHashMap<>();
      sums.forEach((k, acc) -> values.put(k, acc[0] / acc[1]));
      values.put("lr", LrSchedule.of(cfg.train().scheduler(), cfg.train().optimG().lr(), cfg.train().warmupIter())
          .at(done - 1));
      values.put("epoch", (double) step.epoch());
      double perIter = (stepSeconds + dataSeconds) / steps;
      values.put("time_per_iter", perIter);
      values.put("data_time", dataSeconds / steps);
      values.put("peak_rss_mb", PeakMemory.residentMb());
      metrics.log(done, values);
      run.log().iteration(done, run.totalIterations(), perIter * (run.totalIterations() - done), values);
      sums.clear();
      steps = 0;
      stepSeconds = 0;
      dataSeconds = 0;
    }
  }
}
