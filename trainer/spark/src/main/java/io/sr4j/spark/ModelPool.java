package io.sr4j.spark;

import io.sr4j.infer.Models;
import io.sr4j.infer.Upscaler;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The models restored in one executor JVM, kept for all the tasks it runs: a model is restored once per executor,
 * not once per task or image. DL4J networks are not safe for concurrent use, so a task borrows an instance for
 * the duration of an image; a second instance is restored only while two tasks of the same executor run at the
 * same time (spark.executor.cores > spark.task.cpus). ND4J gets spark.task.cpus threads.
 */
final class ModelPool {
  private static final Map<ModelRef, Deque<Upscaler>> IDLE = new ConcurrentHashMap<>();
  private static final AtomicInteger RESTORED = new AtomicInteger();
  private static final AtomicInteger ND4J_THREADS = new AtomicInteger();

  private ModelPool() {}

  static Upscaler borrow(ModelRef ref) {
    Upscaler idle = IDLE.computeIfAbsent(ref, r -> new ConcurrentLinkedDeque<>()).poll();
    if (idle != null) {
      return idle;
    }
    if (ref.isNetwork()) {
      useTaskCpus();
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

  /** ND4J's thread count (a JVM-wide setting) := the CPUs Spark reserves for each task. */
  private static void useTaskCpus() {
    TaskContext task = TaskContext.get();
    int cpus = task == null ? 0 : task.cpus();
    if (cpus > 0 && ND4J_THREADS.getAndSet(cpus) != cpus) {
      Nd4j.getEnvironment().setMaxThreads(cpus);
    }
  }
}
