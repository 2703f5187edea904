package io.sr4j.ckpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.ckpt.formats.SafetensorsReader;
import io.sr4j.ckpt.formats.StateDict;
import io.sr4j.ckpt.formats.Tensor;
import io.sr4j.data.BadInputException;
import io.sr4j.nn.InputGradientGraph;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Importers against small models written by real PyTorch (trainer/src/test/python/make_model_fixtures.py): the
 * imported DL4J graph must reproduce PyTorch's output for the same input within 1e-4.
 */
class PublishedWeightsTest {
  static Path fixture(String name) {
    try {
      return Path.of(PublishedWeightsTest.class.getResource("/io/sr4j/ckpt/models/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static INDArray array(Tensor t) {
    return Nd4j.createFromArray(t.data()).reshape('c', t.shape());
  }

  /** Max |a - b| over all elements; shapes must agree. */
  static double maxAbsDiff(INDArray a, INDArray b) {
    assertEquals(List.of(toList(b.shape())), List.of(toList(a.shape())), "output shape");
    return a.sub(b).amaxNumber().doubleValue();
  }

  private static List<Long> toList(long[] s) {
    return java.util.Arrays.stream(s).boxed().toList();
  }

  private static void assertReproduces(InputGradientGraph net, String ioFile, String outputKey) {
    StateDict io = SafetensorsReader.read(fixture(ioFile));
    INDArray in = array(io.get("input"));
    INDArray expected = array(io.get(outputKey));
    INDArray actual = net.output(false, in)[0];
    double diff = maxAbsDiff(actual, expected);
    assertTrue(diff <= 1e-4, ioFile + ": max |DL4J - PyTorch| = " + diff);
  }

  @Test
  void esrganOfficialLayoutLegacyPth() {
    Checkpoint.Loaded l = PublishedWeights.generatorFromTorch(fixture("rrdb_official_x4.pth"), "params", null);
    assertEquals("rrdbnet", l.card().arch());
    assertEquals(4, l.card().scale());
    Map<String, Object> o = l.card().options();
    assertEquals(8, o.get("num_feat"));
    assertEquals(2, o.get("num_block"));
    assertEquals(4, o.get("num_grow_ch"));
    assertReproduces(l.network(), "rrdb_x4_io.safetensors", "output");
  }

  @Test
  void basicsrLayoutPicksParamsOrParamsEma() {
    Checkpoint.Loaded ema = PublishedWeights.generatorFromTorch(fixture("rrdb_basicsr_x4.pth"), "params_ema", null);
    assertReproduces(ema.network(), "rrdb_basicsr_x4_ema_io.safetensors", "output");
    Checkpoint.Loaded raw = PublishedWeights.generatorFromTorch(fixture("rrdb_basicsr_x4.pth"), "params", null);
    StateDict io = SafetensorsReader.read(fixture("rrdb_basicsr_x4_ema_io.safetensors"));
    INDArray out = raw.network().output(false, array(io.get("input")))[0];
    assertTrue(maxAbsDiff(out, array(io.get("output"))) > 1e-2, "params and params_ema are different weights");
  }

  @Test
  void rrdbX3FromSafetensorsUsesTheScaleHint() {
    Checkpoint.Loaded l = PublishedWeights.generatorFromTorch(fixture("rrdb_x3.safetensors"), "params", 3);
    assertEquals(3, l.card().scale());
    assertReproduces(l.network(), "rrdb_x3_io.safetensors", "output");
  }

  @Test
  void msrResNetX4AndX3() {
    for (int scale : new int[] {4, 3}) {
      Checkpoint.Loaded l = PublishedWeights.generatorFromTorch(fixture("msrresnet_x" + scale + ".pth"), "params", null);
      assertEquals("srresnet", l.card().arch());
      assertEquals("msrresnet", l.card().options().get("style"));
      assertEquals(scale, l.card().scale());
      assertReproduces(l.network(), "msrresnet_x" + scale + "_io.safetensors", "output");
    }
  }

  @Test
  void torchvisionVggBeforeAndAfterActivation() {
    Path weights = fixture("vgg19_first_block.pth");
    InputGradientGraph before = PublishedWeights.vgg19(weights, List.of("conv1_1", "conv1_2"), true);
    StateDict io = SafetensorsReader.read(fixture("vgg19_first_block_io.safetensors"));
    INDArray[] out = before.output(false, array(io.get("input")));
    double d11 = maxAbsDiff(out[0], array(io.get("output_conv1_1")));
    assertTrue(d11 <= 1e-4, "conv1_1 differs by " + d11 + ", min " + out[0].minNumber());
    double d12 = maxAbsDiff(out[1], array(io.get("output_conv1_2")));
    assertTrue(d12 <= 1e-4, "conv1_2 differs by " + d12);
    InputGradientGraph after = PublishedWeights.vgg19(weights, List.of("conv1_2"), false);
    assertTrue(maxAbsDiff(after.output(false, array(io.get("input")))[0], array(io.get("output_relu1_2"))) <= 1e-4);
  }

  @Test
  void kerasVggFoldsBgrAndCaffeMeans() {
    InputGradientGraph net = PublishedWeights.vgg19(fixture("vgg19_keras_block1_conv1.h5"), List.of("conv1_1"), true);
    assertReproduces(net, "vgg19_keras_block1_conv1_io.safetensors", "output_conv1_1");
  }

  @Test
  void unsupportedLayoutsAreExplained() {
    BadInputException e = assertThrows(BadInputException.class,
        () -> PublishedWeights.generatorFromTorch(fixture("vgg19_first_block.pth"), "params", null));
    assertTrue(e.getMessage().contains("unknown generator layout") && e.getMessage().contains("features.0.weight"),
        e.getMessage());
    BadInputException s = assertThrows(BadInputException.class,
        () -> PublishedWeights.generatorFromTorch(fixture("msrresnet_x4.pth"), "params", 2));
    assertTrue(s.getMessage().contains("upscales x4, not x2"), s.getMessage());
  }
}
