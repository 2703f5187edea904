package io.sr4j.data.train;

import java.util.Locale;

/** How fast a {@link PatchSource} delivers batches through a {@link Prefetcher}, with no consumer work. */
public final class PatchThroughput {
  private PatchThroughput() {}

  /** A measurement: {@code batches} batches of {@code patches} patches in total took {@code seconds}. */
  public record Result(long batches, long patches, double seconds, int threads) {
    public double patchesPerSecond() {
      return patches / seconds;
    }

    public double batchesPerSecond() {
      return batches / seconds;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%.1f patches/s (%.2f batches/s; %d batches of %d in %.2f s, %d threads)",
          patchesPerSecond(), batchesPerSecond(), batches, patches / Math.max(batches, 1), seconds, threads);
    }
  }

  /**
   * Times {@code batches} batches taken from a prefetcher with {@code threads} workers, after {@code warmupBatches}
   * untimed ones (which let the JIT compile the hot loops and the workers fill the queue).
   */
  public static Result measure(PatchSource source, int threads, int warmupBatches, int batches)
      throws InterruptedException {
    if (batches < 1 || warmupBatches < 0) {
      throw new IllegalArgumentException("batches must be >= 1 and warm-up >= 0, got " + batches + ", " + warmupBatches);
    }
    try (Prefetcher prefetcher = new Prefetcher(source, 0, threads, 2 * threads)) {
      for (int i = 0; i < warmupBatches; i++) {
        prefetcher.next();
      }
      long patches = 0;
      long t0 = System.nanoTime();
      for (int i = 0; i < batches; i++) {
        patches += prefetcher.next().n();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      return new Result(batches, patches, seconds, threads);
    }
  }
}
