package io.sr4j.spark;

import io.sr4j.infer.Models;
import io.sr4j.infer.Upscaler;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The models restored in one executor JVM, kept for all the tasks it runs: a model is restored once per executor,
 * not once per task or image. DL4J networks are not safe for concurrent use, so a task borrows an instance for
 * the duration of an image; a second instance is restored only while two tasks of the same executor run at the
 * same time (spark.executor.cores > spark.task.cpus). ND4J's thread count is fixed when it starts, from
 * OMP_NUM_THREADS, which {@code sr spark} sets to spark.task.cpus for executors (spark.executorEnv) and the driver
 * (ND4J 1.0.0-M2.1's {@code Environment.setMaxThreads} leaves the count unchanged).
 */
final class ModelPool {
  private static final Map<ModelRef, Deque<Upscaler>> IDLE = new ConcurrentHashMap<>();
  private static final AtomicInteger RESTORED = new AtomicInteger();

  private ModelPool() {}

  static Upscaler borrow(ModelRef ref) {
    Upscaler idle = IDLE.computeIfAbsent(ref, r -> new ConcurrentLinkedDeque<>()).poll();
    if (idle != null) {
      return idle;
    }
    Upscaler restored = Models.open(ref.localSpec(), ref.scale());
    RESTORED.incrementAndGet();
    return restored;
  }

  static void release(ModelRef ref, Upscaler upscaler) {
    IDLE.get(ref).push(upscaler);
  }

  /** How many times a model was restored in this JVM. */
  static int restoredCount() {
    return RESTORED.get();
  }
}
