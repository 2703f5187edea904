package io.sr4j.ckpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sr4j.nn.InputGradientGraph;
import io.sr4j.train.RunCheckpoints;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Files written by an earlier version of the code must go on loading and computing the same outputs. The files in
 * {@code golden/v1/} are checkpoints of the format version 1, written by {@code sr train} with the two configs next to
 * them (an SRGAN run: SRResNet with BatchNorm, VGG-128 discriminator with BatchNorm, EMA; a PSNR run of RRDBNet), and
 * {@code expected.json} holds what those networks computed, then, on fixed inputs. Never regenerate these files: a
 * change that breaks this test breaks users' checkpoints.
 */
class GoldenCheckpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Path golden(String name) {
    try {
      return Path.of(GoldenCheckpointTest.class.getResource("/io/sr4j/golden/v1/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A deterministic image batch [1, c, h, w] in [0, 1]. */
  static INDArray input(int c, int h, int w) {
    INDArray x = Nd4j.create(DataType.FLOAT, 1, c, h, w);
    for (int i = 0; i < x.length(); i++) {
      x.putScalar(i, (float) ((Math.sin(0.37 * i) + 1) / 2));
    }
    return x;
  }

  static float[] out(InputGradientGraph net, INDArray x) {
    return net.output(false, x)[0].castTo(DataType.FLOAT).dup('c').data().asFloat();
  }

  @SuppressWarnings("unchecked")
  static Map<String, List<Double>> expected() throws IOException {
    try (InputStream in = GoldenCheckpointTest.class.getResourceAsStream("/io/sr4j/golden/v1/expected.json")) {
      return JSON.readValue(in, LinkedHashMap.class);
    }
  }

  static void assertSame(String what, List<Double> expected, float[] actual) {
    assertEquals(expected.size(), actual.length, what + ": output size");
    for (int i = 0; i < actual.length; i++) {
      assertEquals(expected.get(i).floatValue(), actual[i], 1e-6f, what + ": output " + i);
    }
  }

  @Test
  void ganCheckpointOfVersion1RestoresGeneratorEmaAndDiscriminator() throws IOException {
    Map<String, List<Double>> expected = expected();
    RunCheckpoints.Restored r = RunCheckpoints.restore(golden("gan_srresnet_bn_x2_iter3.zip"));
    assertEquals(3, r.state().iteration());
    assertEquals("srresnet", r.card().arch());
    assertNotNull(r.ema());
    assertNotNull(r.discriminator());
    assertSame("G", expected.get("gan_g"), out(r.generator(), input(3, 10, 12)));
    InputGradientGraph ema = new InputGradientGraph(r.generator().getConfiguration().clone());
    ema.init(r.ema(), false);
    assertSame("EMA", expected.get("gan_ema"), out(ema, input(3, 10, 12)));
    assertSame("D", expected.get("gan_d"), out(r.discriminator(), input(3, 32, 32)));
    assertArrayEquals(new long[] {1, 3, 20, 24}, r.generator().output(false, input(3, 10, 12))[0].shape());
  }

  @Test
  void exportedModelOfVersion1Loads() throws IOException {
    Checkpoint.Loaded m = Checkpoint.read(golden("gan_srresnet_bn_x2_ema_final.zip"), false);
    assertEquals("ema", m.card().weights());
    assertSame("EMA final", expected().get("gan_ema"), out(m.network(), input(3, 10, 12)));
  }

  @Test
  void psnrCheckpointOfVersion1Restores() throws IOException {
    RunCheckpoints.Restored r = RunCheckpoints.restore(golden("psnr_rrdbnet_x3_iter2.zip"));
    assertEquals(2, r.state().iteration());
    assertSame("RRDB", expected().get("psnr_g"), out(r.generator(), input(3, 7, 9)));
  }
}
