package io.sr4j.data.train;

/**
 * An endless, deterministic sequence of training batches.
 *
 * <p>{@link #batch(long)} is a pure function of the source's seed and the batch index: the same index yields an
 * equal batch whichever thread asks, in whatever order, and on a fresh instance built with the same data and
 * options. That makes background prefetch ({@link Prefetcher}) and bit-exact resume (restart at the next batch
 * index) trivial. Implementations are thread-safe.
 *
 * <p>Samples are drawn as one continuous stream: stream position {@code p} belongs to epoch
 * {@code p / samplesPerEpoch()}, and within an epoch every (enlarged) sample appears exactly once, in a seeded
 * permutation of that epoch. Batch {@code b} holds positions {@code [b * batchSize, (b + 1) * batchSize)}, so a
 * batch may straddle two epochs; nothing is dropped.
 */
public interface PatchSource {
  /** The batch at {@code index} (>= 0). */
  PatchBatch batch(long index);

  /** Patches per batch. */
  int batchSize();

  /** Samples in one epoch: the number of distinct samples times the enlarge ratio. */
  long samplesPerEpoch();

  /** The epoch (from 0) that the first sample of batch {@code index} belongs to. */
  default long epochOf(long index) {
    return Math.multiplyExact(index, (long) batchSize()) / samplesPerEpoch();
  }

  /** One line saying where the data lives and how it is made (for logs). */
  String describe();
}
