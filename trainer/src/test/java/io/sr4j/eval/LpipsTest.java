package io.sr4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sr4j.ckpt.formats.SafetensorsReader;
import io.sr4j.ckpt.formats.StateDict;
import io.sr4j.ckpt.formats.Tensor;
import io.sr4j.data.BadInputException;
import io.sr4j.data.image.Image;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LPIPS-VGG against the reference formula evaluated in PyTorch (float64) on random weights in the published key
 * layouts, written by trainer/src/test/python/make_lpips_fixtures.py.
 */
class LpipsTest {
  private static Lpips lpips;
  private static StateDict images;

  static Path fixture(String name) {
    try {
      return Path.of(LpipsTest.class.getResource("/io/sr4j/eval/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeAll
  static void load() {
    lpips = new Lpips(fixture("lpips_vgg16_nf4.pth"), fixture("lpips_v0.1_vgg_nf4.pth"));
    images = SafetensorsReader.read(fixture("lpips_io.safetensors"));
  }

  /** A [1, C, h, w] tensor as an image (C = 1 gray, 3 RGB). */
  private static Image image(String key) {
    Tensor t = images.get(key);
    int c = (int) t.shape()[1];
    int h = (int) t.shape()[2];
    int w = (int) t.shape()[3];
    float[][] planes = new float[c][];
    for (int i = 0; i < c; i++) {
      planes[i] = Arrays.copyOfRange(t.data(), i * h * w, (i + 1) * h * w);
    }
    return Image.of(w, h, planes);
  }

  @Test
  void matchesTheReferenceFormulaWithin1e5() throws IOException {
    JsonNode pairs = new ObjectMapper().readTree(fixture("lpips_expected.json").toFile()).get("pairs");
    assertEquals(4, pairs.size());
    for (JsonNode p : pairs) {
      double expected = p.get("lpips").asDouble();
      double actual = lpips.distance(image(p.get("a").asText()), image(p.get("b").asText()));
      String pair = p.get("a").asText() + "/" + p.get("b").asText();
      assertEquals(expected, actual, 1e-5, pair + ": PyTorch " + expected + ", sr4j " + actual);
      assertEquals(expected, lpips.distance(image(p.get("b").asText()), image(p.get("a").asText())), 1e-5,
          pair + " is symmetric");
    }
    assertTrue(pairs.get(0).get("lpips").asDouble() > 0.05, "the pairs are far from zero: the test can fail");
  }

  @Test
  void imagesOfDifferentOrTooSmallSizesAreRefused() {
    BadInputException size = assertThrows(BadInputException.class, () -> lpips.distance(image("a0"), image("a1")));
    assertTrue(size.getMessage().contains("45x37 and 16x32"), size.getMessage());
    Image tiny = Image.of(15, 20, new float[300], new float[300], new float[300]);
    BadInputException small = assertThrows(BadInputException.class, () -> lpips.distance(tiny, tiny));
    assertTrue(small.getMessage().contains("at least 16x16"), small.getMessage());
  }

  @Test
  void aLinearFileOfAnotherNetworkIsNamedWithTheKeyAndShape(@TempDir Path dir) throws IOException {
    Path swapped = dir.resolve("alex_like.pth");
    Files.copy(fixture("lpips_vgg16_nf4.pth"), swapped);
    BadInputException e = assertThrows(BadInputException.class,
        () -> new Lpips(fixture("lpips_vgg16_nf4.pth"), swapped));
    assertTrue(e.getMessage().contains(swapped.toString()) && e.getMessage().contains("lin0.model.1.weight"),
        e.getMessage());
  }
}
