package io.sr4j.nn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a training step's time goes, by phase (G forward, VGG backward, D forward on HR, optimizer, GC, ...), for
 * {@code sr bench train --profile}. Off unless {@link #enable}d: then {@link #start}/{@link #stop} cost two clock
 * reads. ND4J's CPU ops run synchronously, so a phase's wall time is its compute time. One profile per JVM: training
 * runs one step at a time.
 */
public final class PhaseTimer {
  private static volatile Map<String, long[]> phases; // name -> {total nanoseconds, calls}; null when off

  private PhaseTimer() {}

  /** Starts collecting (clearing what was collected). */
  public static void enable() {
    phases = new LinkedHashMap<>();
  }

  /** Stops collecting; returns the collected totals: phase -> {nanoseconds, calls}, in first-seen order. */
  public static Map<String, long[]> disable() {
    Map<String, long[]> p = phases;
    phases = null;
    return p == null ? Map.of() : p;
  }

  /** A start time for {@link #stop}, or 0 when off. */
  public static long start() {
    return phases == null ? 0 : System.nanoTime();
  }

  /** Adds the time since {@code start} to {@code phase}. */
  public static void stop(String phase, long start) {
    Map<String, long[]> p = phases;
    if (p != null) {
      long[] acc = p.computeIfAbsent(phase, k -> new long[2]);
      acc[0] += System.nanoTime() - start;
      acc[1]++;
    }
  }
}
