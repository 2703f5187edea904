package io.sr4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.config.MetricConfig;
import io.sr4j.data.BadInputException;
import io.sr4j.data.color.Quantize;
import io.sr4j.data.image.Image;
import io.sr4j.data.metrics.MetricChannel;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** LPIPS as an evaluation metric: rounded SR, border cropped, lower is better, weights from the zoo. */
class LpipsMetricTest {
  private static Image random(long seed, int w, int h) {
    Random r = new Random(seed);
    float[][] p = new float[3][w * h];
    for (float[] plane : p) {
      for (int i = 0; i < plane.length; i++) {
        plane[i] = r.nextFloat();
      }
    }
    return Image.of(w, h, p);
  }

  @Test
  void scoresTheRoundedOutputInsideTheBorderAgainstTheReference() {
    Lpips lpips = LpipsTest.lpips(Lpips.Network.VGG);
    Image hr = random(1, 40, 36);
    Image sr = random(2, 40, 36);
    LpipsMetric metric = new LpipsMetric("lpips", () -> lpips, 3);
    assertFalse(metric.higherIsBetter());
    float[][] rounded = {Quantize.snapToUint8(sr.plane(0)), Quantize.snapToUint8(sr.plane(1)),
        Quantize.snapToUint8(sr.plane(2))};
    double expected = lpips.distance(sr.withPlanes(rounded).crop(3, 3, 34, 30), hr.crop(3, 3, 34, 30));
    assertEquals(expected, metric.score(sr, hr), 0);
    Image hr8 = hr.withPlanes(new float[][] {Quantize.snapToUint8(hr.plane(0)), Quantize.snapToUint8(hr.plane(1)),
        Quantize.snapToUint8(hr.plane(2))}); // an 8-bit reference, as read from a file
    assertEquals(0, metric.score(hr8, hr8), 1e-6);
    assertTrue(expected > 0);
  }

  @Test
  void configAndCommandLineNamesBuildItWithTheZooWeights() {
    MetricConfig c = new MetricConfig(MetricConfig.LPIPS, null, null, null, null, null);
    assertFalse(c.higherIsBetter());
    assertEquals(List.of("zoo:vgg16", "zoo:lpips-vgg"), c.zooWeights());
    assertEquals(List.of("zoo:alexnet", "zoo:lpips-alex"),
        new MetricConfig(MetricConfig.LPIPS, null, null, null, null, "alex").zooWeights());
    Metric m = Metrics.named(List.of("lpips"), MetricChannel.Y, 4, 0).get("lpips");
    assertTrue(m instanceof LpipsMetric);
    // tests run with an empty weights cache: scoring names the download
    BadInputException e = assertThrows(BadInputException.class, () -> m.score(random(3, 32, 32), random(4, 32, 32)));
    assertTrue(e.getMessage().contains("./sr weights download vgg16"), e.getMessage());
  }
}
