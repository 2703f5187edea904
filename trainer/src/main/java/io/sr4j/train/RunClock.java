package io.sr4j.train;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Wall-clock times written into model files. Honours {@code SOURCE_DATE_EPOCH} (the reproducible-builds convention:
 * seconds since 1970), so that two runs of the same config can produce byte-identical files when it is set.
 */
public final class RunClock {
  private RunClock() {}

  /** Now, or the fixed time of SOURCE_DATE_EPOCH, as ISO-8601 UTC to the second. */
  public static String now() {
    String fixed = System.getenv("SOURCE_DATE_EPOCH");
    Instant t = fixed != null && fixed.matches("\\d{1,12}") ? Instant.ofEpochSecond(Long.parseLong(fixed)) : Instant.now();
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
