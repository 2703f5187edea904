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
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * LPIPS-VGG and LPIPS-Alex against the reference formula evaluated in PyTorch (float64) on random weights in the
 * published key layouts, written by trainer/src/test/python/make_lpips_fixtures.py.
 */
class LpipsTest {
  private static StateDict images;
  private static JsonNode expected;

  static Path fixture(String name) {
    try {
      return Path.of(LpipsTest.class.getResource("/io/sr4j/eval/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeAll
  static void load() throws IOException {
    images = SafetensorsReader.read(fixture("lpips_io.safetensors"));
    expected = new ObjectMapper().readTree(fixture("lpips_expected.json").toFile());
  }

  static Lpips lpips(Lpips.Network network) {
    String name = network == Lpips.Network.VGG ? "vgg16" : "alexnet";
    return new Lpips(network, fixture("lpips_" + name + "_nf4.pth"), fixture("lpips_v0.1_" + name + "_nf4.pth"));
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

  @ParameterizedTest
  @EnumSource(Lpips.Network.class)
  void matchesTheReferenceFormulaWithin1e5(Lpips.Network network) {
    Lpips lpips = lpips(network);
    JsonNode pairs = expected.get(network.name().toLowerCase(java.util.Locale.ROOT));
    assertEquals(4, pairs.size());
    for (JsonNode p : pairs) {
      double reference = p.get("lpips").asDouble();
      double actual = lpips.distance(image(p.get("a").asText()), image(p.get("b").asText()));
      String pair = network + " " + p.get("a").asText() + "/" + p.get("b").asText();
      assertEquals(reference, actual, 1e-5, pair + ": PyTorch " + reference + ", sr4j " + actual);
      assertEquals(reference, lpips.distance(image(p.get("b").asText()), image(p.get("a").asText())), 1e-5,
          pair + " is symmetric");
    }
    assertTrue(pairs.get(0).get("lpips").asDouble() > 0.05, "the pairs are far from zero: the test can fail");
  }

  @Test
  void imagesOfDifferentOrTooSmallSizesAreRefused() {
    Lpips vgg = lpips(Lpips.Network.VGG);
    BadInputException size = assertThrows(BadInputException.class, () -> vgg.distance(image("a0"), image("a1")));
    assertTrue(size.getMessage().contains("45x37 and 16x32"), size.getMessage());
    Image tiny = Image.of(15, 20, new float[300], new float[300], new float[300]);
    BadInputException small = assertThrows(BadInputException.class, () -> vgg.distance(tiny, tiny));
    assertTrue(small.getMessage().contains("at least 16x16"), small.getMessage());
    BadInputException alex = assertThrows(BadInputException.class,
        () -> lpips(Lpips.Network.ALEX).distance(image("a1"), image("a1")));
    assertTrue(alex.getMessage().contains("at least 31x31") && alex.getMessage().contains("16x32"), alex.getMessage());
  }

  @Test
  void aLinearFileOfTheOtherNetworkIsNamedWithTheKeyAndShape() {
    Path alexLinear = fixture("lpips_v0.1_alexnet_nf4.pth");
    BadInputException e = assertThrows(BadInputException.class,
        () -> new Lpips(Lpips.Network.VGG, fixture("lpips_vgg16_nf4.pth"), alexLinear));
    assertTrue(e.getMessage().contains(alexLinear.toString()) && e.getMessage().contains("lin1.model.1.weight")
        && e.getMessage().contains("[1, 8, 1, 1]"), e.getMessage());
  }
}
