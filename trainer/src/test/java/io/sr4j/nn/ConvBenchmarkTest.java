package io.sr4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** ConvBenchmark on a tiny workload: the result's derived numbers follow from the timings and the FLOP formula. */
class ConvBenchmarkTest {

    @Test
    void tinyRunReportsConsistentNumbers() {
        ConvBenchmarkResult r = ConvBenchmark.run(2, 4, 8, 6, 1, 3);
        assertEquals(2, r.batch());
        assertEquals(4, r.inChannels());
        assertEquals(4, r.outChannels());
        assertEquals(8, r.height());
        assertEquals(6, r.width());
        assertEquals(3, r.kernel());
        assertEquals("FLOAT", r.dataType());
        assertEquals(3, r.timedIterations());
        assertEquals(3.0 * 2 * 2 * 4 * 8 * 6 * 4 * 3 * 3, r.flopsPerStep());
        assertTrue(r.fastMedianSeconds() > 0 && r.stockMedianSeconds() > 0);
        assertEquals(r.flopsPerStep() / r.fastMedianSeconds() / 1e9, r.fastGflops(), 1e-9 * r.fastGflops());
        assertEquals(r.flopsPerStep() / r.stockMedianSeconds() / 1e9, r.stockGflops(), 1e-9 * r.stockGflops());
        assertEquals(r.stockMedianSeconds() / r.fastMedianSeconds(), r.speedup(), 1e-9 * r.speedup());
    }

    @Test
    void rejectsInvalidIterationCounts() {
        assertThrows(IllegalArgumentException.class, () -> ConvBenchmark.run(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> ConvBenchmark.run(0, 0));
    }
}
