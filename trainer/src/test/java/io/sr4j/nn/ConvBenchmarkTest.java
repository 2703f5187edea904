package io.sr4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** ConvBenchmark on tiny cases: the derived numbers follow from the timings and the FLOP formula. */
class ConvBenchmarkTest {

  @Test
  void tinyRunReportsConsistentNumbers() {
    ConvBenchmark.Case hidden = new ConvBenchmark.Case("t", "3x3", 2, 4, 8, 6, 5, 3, 1, 1, true, true, false,
        false);
    ConvBenchmark.Case first = new ConvBenchmark.Case("t", "first", 2, 1, 9, 9, 4, 5, 2, 0, false, false, false,
        false);
    ConvBenchmark.Case blocked = new ConvBenchmark.Case("t", "blocked", 2, 16, 8, 6, 32, 3, 1, 1, true, true, true,
        true);
    ConvBenchmark.Result r = ConvBenchmark.run(List.of(hidden, first, blocked), 1, 3, true);
    assertEquals("FLOAT", r.dataType());
    assertEquals(3, r.timedIterations());
    ConvBenchmark.Row a = r.rows().get(0);
    assertEquals(2.0 * 2 * 5 * 8 * 6 * 4 * 3 * 3, a.flopsPerPass());
    assertTrue(a.newFwdMs() > 0 && a.newBwdDataMs() > 0 && a.newBwdWeightsMs() > 0 && a.newBwdMs() > 0);
    assertTrue(a.libFwdMs() > 0 && a.libBwdDataMs() > 0 && a.libBwdMs() > 0);
    assertEquals(3 * a.flopsPerPass() / ((a.newFwdMs() + a.newBwdMs()) * 1e6), a.newGflops(), 1e-9 * a.newGflops());
    assertEquals(3 * a.flopsPerPass() / ((a.libFwdMs() + a.libBwdMs()) * 1e6), a.libGflops(), 1e-9 * a.libGflops());
    assertTrue(a.implementations().startsWith("fwd "), a.implementations());
    ConvBenchmark.Row b = r.rows().get(1);
    assertEquals(2.0 * 2 * 4 * 3 * 3 * 1 * 5 * 5, b.flopsPerPass());
    assertTrue(Double.isNaN(b.newBwdDataMs()) && Double.isNaN(b.libBwdDataMs()));
    assertEquals(2 * b.flopsPerPass() / ((b.newFwdMs() + b.newBwdMs()) * 1e6), b.newGflops(), 1e-9 * b.newGflops());
    ConvBenchmark.Row c = r.rows().get(2);
    assertTrue(c.newFwdMs() > 0 && c.newBwdDataMs() > 0 && c.newBwdWeightsMs() > 0 && c.newBwdMs() > 0);
    assertEquals(3 * c.flopsPerPass() / ((c.newFwdMs() + c.newBwdMs()) * 1e6), c.newGflops(), 1e-9 * c.newGflops());
  }

  @Test
  void zooCasesCoverEveryGroupAndRejectBadCounts() {
    assertEquals(List.of("reference", "rrdb", "vgg19", "vgg128d", "srcnn"),
        ConvBenchmark.zooCases().stream().map(ConvBenchmark.Case::group).distinct().toList());
    assertThrows(IllegalArgumentException.class, () -> ConvBenchmark.run(ConvBenchmark.zooCases(), -1, 1, false));
    assertThrows(IllegalArgumentException.class, () -> ConvBenchmark.run(ConvBenchmark.zooCases(), 0, 0, false));
  }
}
