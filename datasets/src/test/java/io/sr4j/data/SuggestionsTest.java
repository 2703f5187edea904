package io.sr4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
  @Test
  void aLikelyTypoGetsTheClosestNameAndAnUnrelatedWordNone() {
    List<String> keys = List.of("total_iter", "warmup_iter", "optim_g", "scheduler");
    assertEquals("total_iter", Suggestions.closest("totl_iter", keys));
    assertEquals("optim_g", Suggestions.closest("OPTIM_G", keys));
    assertNull(Suggestions.closest("learning_rate", keys));
  }

  @Test
  void theNClosestComeClosestFirst() {
    // frist -> first: 2 edits; conv_body.weight: 5; conv_first.bias: 8
    assertEquals(List.of("conv_first.weight", "conv_body.weight"),
        Suggestions.closest("conv_frist.weight", List.of("conv_first.bias", "conv_body.weight", "conv_first.weight"), 2));
  }
}
