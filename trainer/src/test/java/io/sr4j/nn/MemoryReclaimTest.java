package io.sr4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** {@link MemoryReclaim} in child JVMs whose young generation size is set on the command line. */
class MemoryReclaimTest {

  /** With the launcher's -Xmn16m: a young collection, no full one, and a dropped 256 MB array's memory is freed. */
  @Test
  void aSmallYoungGenerationIsCollectedWithoutAFullCollection() throws Exception {
    assertEquals("young=true full=0 freed=true", child("-Xmn16m"));
  }

  /** A young generation too large to fill: a full collection, which frees the array too. */
  @Test
  void aLargeYoungGenerationGetsAFullCollection() throws Exception {
    assertEquals("young=false full=1 freed=true", child("-Xmn256m"));
  }

  /**
   * Arrays promoted to the old generation (alive across collections during a step) are freed by the full collection
   * that {@code afterStep} runs once the old generation has grown by more than 8 MB.
   */
  @Test
  void promotedArraysAreFreedOnceTheOldGenerationGrows() throws Exception {
    assertEquals("promoted=true full=1 freed=true", child("-Xmn16m", PromotingChild.class));
  }

  private static String child(String youngOption) throws Exception {
    return child(youngOption, Child.class);
  }

  private static String child(String youngOption, Class<?> main) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
        youngOption, "-XX:SurvivorRatio=2", "-XX:+UseG1GC", "-cp", System.getProperty("java.class.path"),
        main.getName())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child finished");
    assertEquals(0, p.exitValue(), out);
    String[] lines = out.split("\n");
    return lines[lines.length - 1];
  }

  /** Prints "young=[youngCollection()] full=[full collections during afterStep] freed=[off-heap bytes returned]". */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      Nd4j.create(DataType.FLOAT, 4).addi(1); // backend loaded before counting
      System.gc();
      Thread.sleep(200);
      long base = Pointer.physicalBytes();
      Nd4j.createUninitialized(DataType.FLOAT, ARRAY_FLOATS).assign(1); // unreachable at once
      long withArray = Pointer.physicalBytes();
      boolean held = withArray >= base + MARGIN;
      long fullBefore = fullCollections();
      boolean young = MemoryReclaim.youngCollection();
      if (!young) {
        MemoryReclaim.afterStep();
      }
      long full = fullCollections() - fullBefore;
      boolean freed = residentFallsBelow(withArray - MARGIN);
      System.out.println("young=" + young + " full=" + full + " freed=" + (held && freed));
    }

    /**
     * The array: 256 MB, so that the resident size's other movements (JIT compilation, the collector's own memory:
     * tens of MB on a loaded machine) cannot pass for it or hide it; the margin is three quarters of it.
     */
    static final long ARRAY_FLOATS = 64L << 20;
    static final long MARGIN = 192L << 20;

    /** Waits up to 5 s for the resident size to fall below {@code bytes}. */
    static boolean residentFallsBelow(long bytes) throws InterruptedException {
      for (int i = 0; i < 250; i++) {
        if (Pointer.physicalBytes() < bytes) {
          return true;
        }
        Thread.sleep(20); // ND4J's deallocator thread frees what the collection found
      }
      return false;
    }

    static long fullCollections() {
      long n = 0;
      for (GarbageCollectorMXBean c : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (c.getName().contains("Old")) {
          n += c.getCollectionCount();
        }
      }
      return n;
    }
  }

  /**
   * Prints "promoted=[a 256 MB array's wrapper reached the old generation] full=[full collections in one afterStep]
   * freed=[its memory returned]".
   */
  public static final class PromotingChild {
    public static void main(String[] args) throws Exception {
      Nd4j.create(DataType.FLOAT, 4).addi(1);
      MemoryReclaim.afterStep(); // the first call measures the old generation after a full collection
      Thread.sleep(200);
      List<Object> live = new ArrayList<>();
      live.add(Nd4j.createUninitialized(DataType.FLOAT, Child.ARRAY_FLOATS).assign(1));
      long withArray = Pointer.physicalBytes();
      for (int i = 0; i < 12_000; i++) {
        live.add(new byte[1000]); // 12 MB of small objects: more than the survivor space holds
      }
      for (int i = 0; i < 3; i++) {
        MemoryReclaim.youngCollection(); // a collection during a "step": all of it is promoted
      }
      boolean promoted = oldGenerationBytes() > 8L << 20;
      live = null;
      long fullBefore = Child.fullCollections();
      MemoryReclaim.afterStep();
      long full = Child.fullCollections() - fullBefore;
      boolean freed = Child.residentFallsBelow(withArray - Child.MARGIN);
      System.out.println("promoted=" + promoted + " full=" + full + " freed=" + freed);
    }

    private static long oldGenerationBytes() {
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getName().contains("Old")) {
          return pool.getUsage().getUsed();
        }
      }
      return 0;
    }
  }
}
