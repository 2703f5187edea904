package io.sr4j.data.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The order in which samples are visited, as BasicSR's {@code EnlargedSampler} does it: an epoch is a seeded
 * random permutation of {@code sampleCount * enlargeRatio} slots, slot {@code v} meaning sample
 * {@code v % sampleCount}, so every sample appears exactly {@code enlargeRatio} times per epoch. Epochs follow
 * each other in one continuous stream of positions. Permutations are recomputed on demand (a few recent ones are
 * memoised), so {@link #sampleAt(long)} is a pure function of (seed, position).
 */
final class EpochOrder {
  private static final int MEMOISED_EPOCHS = 4;

  private final int sampleCount;
  private final int slotsPerEpoch;
  private final long seed;
  private final Map<Long, int[]> recent = new LinkedHashMap<>(8, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, int[]> eldest) {
      return size() > MEMOISED_EPOCHS;
    }
  };

  EpochOrder(int sampleCount, int enlargeRatio, long seed) {
    if (sampleCount < 1) {
      throw new IllegalArgumentException("there must be at least one sample, got " + sampleCount);
    }
    if (enlargeRatio < 1) {
      throw new IllegalArgumentException("enlarge ratio must be >= 1, got " + enlargeRatio);
    }
    long slots = (long) sampleCount * enlargeRatio;
    if (slots > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(sampleCount + " samples x enlarge ratio " + enlargeRatio + " is too large");
    }
    this.sampleCount = sampleCount;
    this.slotsPerEpoch = (int) slots;
    this.seed = seed;
  }

  long samplesPerEpoch() {
    return slotsPerEpoch;
  }

  /** The sample (0 .. sampleCount-1) at stream position {@code position} (>= 0). */
  int sampleAt(long position) {
    if (position < 0) {
      throw new IllegalArgumentException("stream position must be >= 0, got " + position);
    }
    int[] permutation = permutation(position / slotsPerEpoch);
    return permutation[(int) (position % slotsPerEpoch)] % sampleCount;
  }

  /** Slot order of one epoch: a Fisher-Yates shuffle seeded by (seed, epoch). */
  int[] permutation(long epoch) {
    synchronized (recent) {
      int[] cached = recent.get(epoch);
      if (cached != null) {
        return cached;
      }
    }
    int[] p = new int[slotsPerEpoch];
    for (int i = 0; i < p.length; i++) {
      p[i] = i;
    }
    SplittableRandom rnd = CounterRandom.of(seed, CounterRandom.PERMUTATION, epoch);
    for (int i = p.length - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    synchronized (recent) {
      recent.put(epoch, p);
    }
    return p;
  }
}
