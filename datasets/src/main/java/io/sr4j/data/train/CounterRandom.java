package io.sr4j.data.train;

import java.util.SplittableRandom;

/**
 * Counter-based random streams: a generator that is a pure function of (seed, stream, counter), so any draw can
 * be reproduced on its own, by any thread, without replaying the draws before it.
 */
final class CounterRandom {
  /** Stream of the per-epoch sample permutations (counter = epoch). */
  static final long PERMUTATION = 1;
  /** Stream of per-sample crop positions and augmentations (counter = stream position). */
  static final long PATCH = 2;
  /** Stream of per-sample misalignment offsets and rotations (counter = stream position). */
  static final long MISALIGN = 3;

  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private CounterRandom() {}

  static SplittableRandom of(long seed, long stream, long counter) {
    return new SplittableRandom(mix(mix(seed + GOLDEN_GAMMA * stream) + counter));
  }

  /** The SplitMix64 finaliser: a bijective 64-bit mix with good avalanche. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
