package io.sr4j.nn;

import org.nd4j.linalg.factory.Nd4j;

/**
 * The number of threads ND4J's native operations use. libnd4j's {@code setMaxThreads} ignores lower values once it
 * has started (measured on M2.1: it stays at the number of cores), so the limit goes to its master threads as well,
 * which its parallel loops take their width from. OpenMP (inside oneDNN and OpenBLAS) reads {@code OMP_NUM_THREADS}
 * when the process starts: set that in the environment too for an exact thread count.
 */
public final class NativeThreads {
  private NativeThreads() {}

  /** Limits ND4J to {@code n} threads ({@code n > 0}). */
  public static void limit(int n) {
    Nd4j.getEnvironment().setMaxThreads(n);
    Nd4j.getEnvironment().setMaxMasterThreads(n);
  }

  /** The threads ND4J's parallel loops use. */
  public static int current() {
    return Math.min(Nd4j.getEnvironment().maxThreads(), Nd4j.getEnvironment().maxMasterThreads());
  }
}
