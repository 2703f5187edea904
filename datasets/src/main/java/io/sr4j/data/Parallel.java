package io.sr4j.data;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Runs independent per-item work (one image each, typically) on a few threads. The first failure stops the
 * handing out of further items and is rethrown, unchanged, to the caller once the running items have finished.
 */
public final class Parallel {
  private Parallel() {}

  /** Threads to use by default: every core the JVM may use. */
  public static int defaultThreads() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** Calls {@code task.accept(i)} for every {@code i} in {@code [0, count)}, on up to {@code threads} threads. */
  public static void forEach(int count, int threads, IntConsumer task) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Runnable worker = () -> {
      for (int i = next.getAndIncrement(); i < count && failure.get() == null; i = next.getAndIncrement()) {
        try {
          task.accept(i);
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        }
      }
    };
    int helpers = Math.min(threads, count) - 1;
    Thread[] started = new Thread[Math.max(helpers, 0)];
    for (int t = 0; t < started.length; t++) {
      started[t] = new Thread(worker, "parallel-" + t);
      started[t].setDaemon(true);
      started[t].start();
    }
    worker.run();
    boolean interrupted = false;
    for (Thread t : started) {
      while (t.isAlive()) {
        try {
          t.join();
        } catch (InterruptedException e) {
          interrupted = true;
          failure.compareAndSet(null, e);
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable t = failure.get();
    if (t instanceof RuntimeException re) {
      throw re;
    }
    if (t instanceof Error err) {
      throw err;
    }
    if (t != null) {
      throw new IllegalStateException("interrupted while waiting for parallel work", t);
    }
  }
}
