package io.sr4j.data.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class EpochOrderTest {
  @ParameterizedTest(name = "{0} samples, enlarge x{1}")
  @CsvSource({"7, 1", "7, 3", "1, 4", "100, 2"})
  void everySampleAppearsEnlargeRatioTimesInEveryEpoch(int samples, int ratio) {
    EpochOrder order = new EpochOrder(samples, ratio, 42);
    assertEquals((long) samples * ratio, order.samplesPerEpoch());
    for (long epoch = 0; epoch < 3; epoch++) {
      int[] seen = new int[samples];
      for (long p = epoch * order.samplesPerEpoch(); p < (epoch + 1) * order.samplesPerEpoch(); p++) {
        seen[order.sampleAt(p)]++;
      }
      int[] expected = new int[samples];
      Arrays.fill(expected, ratio);
      assertArrayEquals(expected, seen, "epoch " + epoch);
    }
  }

  @Test
  void epochsAreDifferentPermutationsAndSeedsGiveDifferentOrders() {
    EpochOrder order = new EpochOrder(50, 1, 1);
    int[] e0 = order.permutation(0).clone();
    int[] e1 = order.permutation(1);
    assertFalse(Arrays.equals(e0, e1));
    assertFalse(Arrays.equals(e0, new EpochOrder(50, 1, 2).permutation(0)));
    int[] sorted = e1.clone();
    Arrays.sort(sorted);
    assertArrayEquals(LongStream.range(0, 50).mapToInt(i -> (int) i).toArray(), sorted);
  }

  @Test
  void sampleAtIsAPureFunctionOfSeedAndPosition() {
    EpochOrder sequential = new EpochOrder(13, 2, 9);
    long[] positions = LongStream.range(0, 26L * 10).toArray(); // ten epochs, more than are memoised
    int[] expected = Arrays.stream(positions).mapToInt(sequential::sampleAt).toArray();
    EpochOrder scattered = new EpochOrder(13, 2, 9);
    for (int k = positions.length - 1; k >= 0; k -= 7) { // jump back and forth across epochs
      assertEquals(expected[k], scattered.sampleAt(positions[k]), "position " + k);
      assertEquals(expected[positions.length - 1 - k], scattered.sampleAt(positions[positions.length - 1 - k]));
    }
  }
}
