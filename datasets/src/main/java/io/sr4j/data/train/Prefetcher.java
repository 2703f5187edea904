package io.sr4j.data.train;

import io.sr4j.data.BadInputException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Computes batches {@code start, start + 1, ...} of a {@link PatchSource} on background daemon threads, at most
 * {@code capacity} ahead of the consumer, and hands them out strictly in index order.
 *
 * <p>A failure while computing a batch is delivered by {@link #next()} at that batch's turn, with the worker's
 * message (a {@link BadInputException} stays one, so the command line prints it as one line). {@link #close()}
 * stops the workers; it never waits on the consumer and is safe to call twice.
 */
public final class Prefetcher implements AutoCloseable {
  /** Default number of worker threads. */
  public static final int DEFAULT_THREADS = 2;

  /** How long {@link #close()} waits, in total, for workers that are still computing a batch. */
  private static final long CLOSE_WAIT_MILLIS = 1000;

  private final PatchSource source;
  private final int capacity;
  private final Thread[] workers;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition produced = lock.newCondition();
  private final Condition consumed = lock.newCondition();
  private final Map<Long, Outcome> ready = new HashMap<>();
  private long nextToClaim;
  private long nextToHand;
  private boolean closed;

  /** The result of one batch: exactly one of the two is set. */
  private record Outcome(PatchBatch batch, Throwable failure) {}

  /** {@link #DEFAULT_THREADS} workers, up to twice as many batches ahead. */
  public Prefetcher(PatchSource source, long start) {
    this(source, start, DEFAULT_THREADS, 2 * DEFAULT_THREADS);
  }

  /** {@code threads} workers computing at most {@code capacity} batches ahead of the consumer. */
  public Prefetcher(PatchSource source, long start, int threads, int capacity) {
    if (start < 0 || threads < 1 || capacity < 1) {
      throw new IllegalArgumentException(
          "invalid prefetch settings: start=" + start + " threads=" + threads + " capacity=" + capacity);
    }
    this.source = source;
    this.capacity = capacity;
    this.nextToClaim = start;
    this.nextToHand = start;
    this.workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      workers[t] = new Thread(this::work, "patch-prefetch-" + t);
      workers[t].setDaemon(true);
      workers[t].start();
    }
  }

  private void work() {
    while (true) {
      long index;
      lock.lock();
      try {
        while (!closed && nextToClaim >= nextToHand + capacity) {
          consumed.awaitUninterruptibly();
        }
        if (closed) {
          return;
        }
        index = nextToClaim++;
      } finally {
        lock.unlock();
      }
      Outcome outcome;
      try {
        outcome = new Outcome(source.batch(index), null);
      } catch (Throwable t) {
        outcome = new Outcome(null, t);
      }
      lock.lock();
      try {
        if (closed) {
          return;
        }
        ready.put(index, outcome);
        produced.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** The index of the batch the next call to {@link #next()} returns. */
  public long nextIndex() {
    lock.lock();
    try {
      return nextToHand;
    } finally {
      lock.unlock();
    }
  }

  /** The next batch in index order, waiting for it if needed. */
  public PatchBatch next() throws InterruptedException {
    Outcome outcome;
    long index;
    lock.lock();
    try {
      while (!closed && !ready.containsKey(nextToHand)) {
        produced.await();
      }
      if (closed) {
        throw new IllegalStateException("the prefetcher is closed");
      }
      index = nextToHand++;
      outcome = ready.remove(index);
      consumed.signalAll();
    } finally {
      lock.unlock();
    }
    if (outcome.failure() == null) {
      return outcome.batch();
    }
    Throwable f = outcome.failure();
    if (f instanceof BadInputException) {
      throw new BadInputException(f.getMessage(), f);
    }
    throw new IllegalStateException("batch " + index + " failed: " + f, f);
  }

  /**
   * Stops the workers and waits up to a second for them to end; a worker still inside {@link PatchSource#batch}
   * finishes that batch in the background, discards it and ends (workers are daemon threads).
   */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      ready.clear();
      produced.signalAll();
      consumed.signalAll();
    } finally {
      lock.unlock();
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
    for (Thread t : workers) {
      long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (leftMillis <= 0) {
        return;
      }
      try {
        t.join(leftMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** True while some worker thread is still running (after {@link #close()}: one finishing a long batch). */
  boolean anyWorkerAlive() {
    for (Thread t : workers) {
      if (t.isAlive()) {
        return true;
      }
    }
    return false;
  }
}
