package io.sr4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** {@link MemoryReclaim} in child JVMs whose young generation size is set on the command line. */
class MemoryReclaimTest {

  /** With the launcher's -Xmn16m: a young collection, no full one, and a dropped 64 MB array's memory is freed. */
  @Test
  void aSmallYoungGenerationIsCollectedWithoutAFullCollection() throws Exception {
    assertEquals("young=true full=0 freed=true", child("-Xmn16m"));
  }

  /** A young generation too large to fill: a full collection, which frees the array too. */
  @Test
  void aLargeYoungGenerationGetsAFullCollection() throws Exception {
    assertEquals("young=false full=1 freed=true", child("-Xmn256m"));
  }

  private static String child(String youngOption) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
        youngOption, "-XX:+UseG1GC", "-cp", System.getProperty("java.class.path"), Child.class.getName())
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
      Nd4j.createUninitialized(DataType.FLOAT, 16L << 20).assign(1); // 64 MB, unreachable at once
      boolean held = Pointer.physicalBytes() >= base + (64L << 20);
      long fullBefore = fullCollections();
      boolean young = MemoryReclaim.youngCollection();
      if (!young) {
        MemoryReclaim.afterStep();
      }
      long full = fullCollections() - fullBefore;
      boolean freed = false;
      for (int i = 0; i < 100 && !freed; i++) {
        Thread.sleep(20); // ND4J's deallocator thread frees what the collection found
        freed = Pointer.physicalBytes() < base + (64L << 20);
      }
      System.out.println("young=" + young + " full=" + full + " freed=" + (held && freed));
    }

    private static long fullCollections() {
      long n = 0;
      for (GarbageCollectorMXBean c : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (c.getName().contains("Old")) {
          n += c.getCollectionCount();
        }
      }
      return n;
    }
  }
}
