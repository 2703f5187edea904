package io.sr4j.spark;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * One line of a job's {@code manifest.jsonl}: what happened to one item in one run.
 *
 * @param run the run (driver start) that wrote the line
 * @param job fingerprint of everything that decides an item's result (job kind, options, model file SHA-256); an
 *     earlier result counts as done only for the same fingerprint
 * @param item the item's name (unique within the job)
 * @param source where the item was read from
 * @param status {@code done} (processed now), {@code skipped} (done by an earlier run, outputs present) or
 *     {@code failed}
 * @param outputs the files written for the item, with SHA-256
 * @param scores measurements of the item (evaluate: psnr, ssim, niqe), else empty
 * @param model the model's name (upscale, evaluate)
 * @param seconds time spent on the item in this run
 * @param finishedAt when the line was written (ISO-8601, UTC)
 * @param executor Spark executor id ("driver" in local mode)
 * @param attempt the task attempt number (0 unless Spark retried the task)
 * @param error why the item failed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ManifestEntry(
    String run,
    String job,
    String item,
    String source,
    String status,
    List<OutputFile> outputs,
    Map<String, Double> scores,
    String model,
    double seconds,
    String finishedAt,
    String executor,
    int attempt,
    String error) implements Serializable {
  public static final String DONE = "done";
  public static final String SKIPPED = "skipped";
  public static final String FAILED = "failed";

  /** True when the item's result exists (processed now or by an earlier run). */
  public boolean succeeded() {
    return status.equals(DONE) || status.equals(SKIPPED);
  }
}
