package io.sr4j.nn;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * Returns the off-heap memory of the previous step's arrays before the next step allocates (training steps,
 * inference tiles). The networks run
 * without DL4J workspaces (needed to hand input gradients between graphs), so every step allocates its activations
 * afresh and ND4J frees them only when the Java garbage collector finds them unreachable. Left to itself the heap
 * collects rarely, the allocator keeps handing out cold memory and a training step runs about twice as long
 * (RRDBNet nb=6, batch 4: 2.6 s instead of 1.4 s per iteration on 2 cores).
 *
 * <p>The step's arrays die young, so a young collection finds them all. The JVM has no call for one:
 * {@code System.gc()} is a full collection, whose cost does not depend on the garbage (17-20 ms per call with
 * any collector here, a fifth of an SRCNN step). When the young generation is small (the {@code sr} launcher sets
 * {@code -Xmn16m}; at most {@link #MAX_YOUNG_BYTES}), {@link #afterStep} forces a young collection by allocating
 * short-lived blocks until one happens (2-4 ms); otherwise it calls {@code System.gc()}.
 *
 * <p>Arrays still in use when a collection happens during a step can be promoted to the old generation, where a
 * young collection no longer frees them after they die (the launcher's {@code -XX:SurvivorRatio=2} makes that rare).
 * So whenever the old generation has grown by more than {@link #OLD_GROWTH_BYTES} since the last full collection,
 * {@link #afterStep} runs one.
 */
public final class MemoryReclaim {

  /** Largest young generation (bytes) worth filling to force a young collection. */
  static final long MAX_YOUNG_BYTES = 64L << 20;

  /** Growth of the old generation since the last full collection that triggers the next one. */
  static final long OLD_GROWTH_BYTES = 8L << 20;

  private static final int BLOCK_BYTES = 256 << 10;
  private static final List<GarbageCollectorMXBean> COLLECTORS = ManagementFactory.getGarbageCollectorMXBeans();
  private static final MemoryPoolMXBean EDEN = heapPool("Eden");
  private static final MemoryPoolMXBean OLD = oldPool();
  private static long oldAfterFullCollection = -1;

  /** Holds the latest filler block, so that the allocation is not optimised away. */
  @SuppressWarnings("unused")
  private static volatile byte[] filler;

  private MemoryReclaim() {}

  /** After a training step, an inference tile or any other unit of work that allocated large arrays. */
  public static synchronized void afterStep() {
    if (!youngCollection() || oldGenerationGrew()) {
      System.gc();
      oldAfterFullCollection = OLD == null ? -1 : OLD.getUsage().getUsed();
    }
  }

  /** Whether the old generation holds {@link #OLD_GROWTH_BYTES} more than after the last full collection. */
  private static boolean oldGenerationGrew() {
    return OLD != null && OLD.getUsage().getUsed() > Math.max(0, oldAfterFullCollection) + OLD_GROWTH_BYTES;
  }

  /**
   * Forces a young collection by filling the young generation; false if the young generation is too large (or
   * unknown) for that, or no collection happened after twice its size.
   */
  static boolean youngCollection() {
    long young = youngGenerationBytes();
    if (young <= 0 || young > MAX_YOUNG_BYTES) {
      return false;
    }
    long before = collections();
    for (long filled = 0; filled <= 2 * young; filled += BLOCK_BYTES) {
      filler = new byte[BLOCK_BYTES];
      if (collections() != before) {
        filler = null;
        return true;
      }
    }
    filler = null;
    return false;
  }

  private static long collections() {
    long n = 0;
    for (GarbageCollectorMXBean c : COLLECTORS) {
      n += Math.max(0, c.getCollectionCount());
    }
    return n;
  }

  /**
   * Current capacity of the heap's eden space in bytes: its maximum, or for G1 (no maximum; eden grows with the
   * allocation rate unless -Xmn fixes it) what is committed now; 0 if the collector has no eden.
   */
  static long youngGenerationBytes() {
    if (EDEN == null) {
      return 0;
    }
    long max = EDEN.getUsage().getMax();
    return max > 0 ? max : EDEN.getUsage().getCommitted();
  }

  /** The old generation's pool ("G1 Old Gen", "Tenured Gen", "PS Old Gen"), or null. */
  private static MemoryPoolMXBean oldPool() {
    MemoryPoolMXBean old = heapPool("Old");
    return old != null ? old : heapPool("Tenured");
  }

  private static MemoryPoolMXBean heapPool(String nameContains) {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getName().contains(nameContains)) {
        return pool;
      }
    }
    return null;
  }
}
