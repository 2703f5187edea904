package io.sr4j.ckpt.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fixture files under {@code src/test/resources/io/sr4j/ckpt/formats/} (written by
 * {@code src/test/python/make_weight_fixtures.py}) and comparisons against their {@code *_expected.json}.
 */
final class Fixtures {
  private Fixtures() {}

  static Path path(String name) {
    URL url = Fixtures.class.getResource(name);
    assertNotNull(url, "missing test fixture " + name);
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(String name) {
    try {
      return new ObjectMapper().readTree(path(name).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The field names of a JSON object, in file order. */
  static List<String> keys(JsonNode object) {
    List<String> keys = new ArrayList<>();
    object.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  /** A copy of the first {@code length} bytes of a fixture, as a truncated download would leave it. */
  static Path truncatedCopy(String name, int length, Path dir) throws IOException {
    byte[] bytes = Files.readAllBytes(path(name));
    Path copy = dir.resolve("cut-" + length + "-" + name);
    Files.write(copy, Arrays.copyOf(bytes, length));
    return copy;
  }

  /** Every key of {@code expected} ({key: {dtype, shape, values}}) is in {@code actual}, in the same order. */
  static void assertStateDict(JsonNode expected, StateDict actual) {
    assertEquals(keys(expected), List.copyOf(actual.keys()), actual.source());
    for (String key : keys(expected)) {
      assertTensor(expected.get(key), actual.get(key));
    }
  }

  /**
   * dtype, shape and values. Floating-point values are exact: the writer's value rounded to float (which
   * changes only float64 values) must equal the element read. Integer values are compared exactly as longs.
   */
  static void assertTensor(JsonNode expected, Tensor actual) {
    String what = actual.toString();
    assertEquals(expected.get("dtype").asText(), actual.dtype(), what);
    long[] shape = new long[expected.get("shape").size()];
    for (int d = 0; d < shape.length; d++) {
      shape[d] = expected.get("shape").get(d).asLong();
    }
    assertArrayEquals(shape, actual.shape(), what);
    JsonNode values = expected.get("values");
    assertEquals(values.size(), actual.numel(), what);
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i).isIntegralNumber()) {
        assertEquals(values.get(i).asLong(), actual.integers()[i], what + " element " + i);
        assertEquals((float) values.get(i).asLong(), actual.data()[i], what + " element " + i);
      } else {
        assertEquals((float) values.get(i).asDouble(), actual.data()[i], what + " element " + i);
      }
    }
  }
}
