package io.sr4j.data.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.data.BadInputException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

class PrefetcherTest {
  /** Batch {@code i} is one 1x1 patch holding {@code i}; {@code before} runs first (delays, failures, waits). */
  private static final class IndexSource implements PatchSource {
    final List<Long> requested = new CopyOnWriteArrayList<>();
    final List<Long> finished = new CopyOnWriteArrayList<>();
    private final LongConsumer before;

    IndexSource(LongConsumer before) {
      this.before = before;
    }

    @Override
    public PatchBatch batch(long index) {
      requested.add(index);
      before.accept(index);
      finished.add(index);
      return new PatchBatch(1, 1, 1, 1, 1, new float[] {index}, new float[] {index});
    }

    @Override
    public int batchSize() {
      return 1;
    }

    @Override
    public long samplesPerEpoch() {
      return 10;
    }

    @Override
    public String describe() {
      return "indices";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void batchesComeStrictlyInIndexOrderFromTheStartIndex() throws InterruptedException {
    IndexSource source = new IndexSource(i -> sleep(i % 2 == 0 ? 6 : 0)); // even batches finish late
    try (Prefetcher p = new Prefetcher(source, 5, 3, 4)) {
      for (long i = 5; i < 35; i++) {
        assertEquals(i, p.nextIndex());
        assertEquals(i, (long) p.next().lr()[0]);
      }
    }
    List<Long> finished = source.finished;
    boolean outOfOrder = false;
    for (int k = 1; k < finished.size(); k++) {
      outOfOrder |= finished.get(k) < finished.get(k - 1);
    }
    assertTrue(outOfOrder, "workers finished out of order, so ordering was the prefetcher's doing: " + finished);
  }

  private static void awaitRequests(IndexSource source, int count) {
    for (int i = 0; i < 500 && source.requested.size() < count; i++) {
      sleep(10);
    }
  }

  @Test
  void workersStayAtMostCapacityAheadOfTheConsumer() throws InterruptedException {
    IndexSource source = new IndexSource(i -> { });
    try (Prefetcher p = new Prefetcher(source, 0, 2, 3)) {
      awaitRequests(source, 3);
      sleep(100); // room for a (wrong) fourth request
      assertEquals(List.of(0L, 1L, 2L), source.requested.stream().sorted().toList());
      p.next();
      p.next();
      awaitRequests(source, 5);
      sleep(100);
      assertEquals(List.of(0L, 1L, 2L, 3L, 4L), source.requested.stream().sorted().toList());
    }
  }

  @Test
  void workerFailuresSurfaceAtTheirTurnWithTheirMessage() throws InterruptedException {
    IndexSource source = new IndexSource(i -> {
      if (i == 2) {
        throw new BadInputException("/data/bad.png: truncated or corrupt PNG data");
      }
      if (i == 4) {
        throw new IllegalArgumentException("boom");
      }
    });
    try (Prefetcher p = new Prefetcher(source, 0, 2, 4)) {
      assertEquals(0, (long) p.next().lr()[0]);
      assertEquals(1, (long) p.next().lr()[0]);
      BadInputException bad = assertThrows(BadInputException.class, p::next);
      assertEquals("/data/bad.png: truncated or corrupt PNG data", bad.getMessage());
      assertEquals(3, (long) p.next().lr()[0]);
      IllegalStateException other = assertThrows(IllegalStateException.class, p::next);
      assertTrue(other.getMessage().contains("batch 4") && other.getMessage().contains("boom"), other.getMessage());
      assertEquals(5, (long) p.next().lr()[0]);
    }
  }

  @Test
  void closeReturnsWhileWorkersWaitForRoomAndNextFailsAfterwards() {
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      Prefetcher p = new Prefetcher(new IndexSource(i -> { }), 0, 2, 1);
      sleep(50); // the queue is full: both workers wait for the consumer
      p.close();
      p.close();
      assertFalse(p.anyWorkerAlive());
      assertThrows(IllegalStateException.class, p::next);
    });
  }

  @Test
  void closeWakesABlockedConsumerAndDoesNotWaitForeverOnABusyWorker() {
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      CountDownLatch release = new CountDownLatch(1);
      IndexSource stuck = new IndexSource(i -> {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      Prefetcher p = new Prefetcher(stuck, 0, 2, 2);
      AtomicReference<Throwable> consumerSaw = new AtomicReference<>();
      Thread consumer = new Thread(() -> {
        try {
          p.next();
        } catch (Throwable t) {
          consumerSaw.set(t);
        }
      });
      consumer.start();
      sleep(50);
      p.close(); // workers are inside batch(): close gives up waiting after its grace period
      consumer.join(TimeUnit.SECONDS.toMillis(2));
      assertFalse(consumer.isAlive(), "the consumer blocked in next() was woken");
      assertTrue(consumerSaw.get() instanceof IllegalStateException, String.valueOf(consumerSaw.get()));
      release.countDown();
      for (int i = 0; i < 100 && p.anyWorkerAlive(); i++) {
        sleep(10);
      }
      assertFalse(p.anyWorkerAlive(), "workers end once their batch returns");
    });
  }
}
