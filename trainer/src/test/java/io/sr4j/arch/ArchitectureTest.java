package io.sr4j.arch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.config.ConfigException;
import io.sr4j.data.BadInputException;
import io.sr4j.nn.InputGradientGraph;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ArchitectureTest {
  private static ComputationGraph build(String arch, Map<String, Object> options) {
    ComputationGraph g = new ComputationGraph(Architectures.get(arch).configuration(options, arch));
    g.init();
    return g;
  }

  /** Reference counts: the PyTorch implementations' sum of parameter sizes. */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = ';', value = {
    "srcnn; {kernel_sizes: [9, 1, 5]}; 8129",
    "srcnn; {kernel_sizes: [9, 5, 5]}; 57281",
    "srresnet; {}; 1550659",
    "rrdbnet; {}; 16697987",
    "rrdbnet; {num_block: 6}; 4467779",
    "vgg19; {layers: [conv5_4]}; 20024384",
    "vgg16; {layers: [relu5_3]}; 14714688",
    "alexnet; {}; 2469696",
    "srresnet; {style: msrresnet}; 1517571",
  })
  void parameterCountsMatchTheReferences(String arch, String yamlOptions, long expected) throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> options = io.sr4j.config.ConfigLoader.mapper().readValue(yamlOptions, Map.class);
    assertEquals(expected, ParameterCount.trainable(build(arch, options)));
  }

  @Test
  void generatorsRunOnAnySize() {
    Nd4j.getRandom().setSeed(1);
    record Case(String arch, Map<String, Object> opts, long c, long h, long w, long oh, long ow) {}
    List<Case> cases = List.of(
        new Case("srcnn", Map.of("padding", "same"), 1, 13, 7, 13, 7),
        new Case("srcnn", Map.of("padding", "replicate", "kernel_sizes", List.of(9, 3, 5)), 1, 10, 11, 10, 11),
        new Case("srcnn", Map.of("padding", "valid", "kernel_sizes", List.of(9, 1, 5)), 1, 33, 35, 21, 23),
        new Case("srresnet", Map.of("num_block", 2, "num_feat", 8, "scale", 4), 3, 7, 5, 28, 20),
        new Case("srresnet", Map.of("num_block", 1, "num_feat", 8, "scale", 3), 3, 5, 6, 15, 18),
        new Case("srresnet", Map.of("num_block", 1, "num_feat", 8, "scale", 2, "style", "msrresnet"), 3, 5, 6, 10, 12),
        new Case("rrdbnet", Map.of("num_block", 1, "num_feat", 8, "num_grow_ch", 4, "scale", 4), 3, 9, 6, 36, 24),
        new Case("rrdbnet", Map.of("num_block", 1, "num_feat", 8, "num_grow_ch", 4, "scale", 3), 3, 5, 7, 15, 21),
        new Case("rrdbnet", Map.of("num_block", 1, "num_feat", 8, "num_grow_ch", 4, "scale", 2), 3, 5, 7, 10, 14));
    for (Case c : cases) {
      INDArray out = build(c.arch(), c.opts()).outputSingle(Nd4j.rand(DataType.FLOAT, 1, c.c(), c.h(), c.w()));
      assertArrayEquals(new long[] {1, c.c(), c.oh(), c.ow()}, out.shape(), c.arch() + " " + c.opts());
    }
  }

  @Test
  void discriminatorsGiveOneLogitPerImage() {
    INDArray d128 = build("vgg128", Map.of("num_feat", 4)).outputSingle(Nd4j.rand(DataType.FLOAT, 2, 3, 128, 128));
    assertArrayEquals(new long[] {2, 1}, d128.shape());
    INDArray srganD = build("srgan_d", Map.of("num_feat", 4, "input_size", 32)).outputSingle(Nd4j.rand(DataType.FLOAT, 3, 3, 32, 32));
    assertArrayEquals(new long[] {3, 1}, srganD.shape());
  }

  @Test
  void vggOutputsTheRequestedLayersAtTheirResolutions() {
    INDArray[] out = build("vgg19", Map.of("layers", List.of("conv2_2", "conv3_1"))).output(false, Nd4j.rand(DataType.FLOAT, 1, 3, 16, 12));
    assertArrayEquals(new long[] {1, 128, 8, 6}, out[0].shape());
    assertArrayEquals(new long[] {1, 256, 4, 3}, out[1].shape());
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = ';', value = {
    "srcnn; {padding: valid, kernel_sizes: [5, 1, 3], num_feat: [4, 3]}; 1; 11; 9",
    "srcnn; {padding: replicate, kernel_sizes: [3, 3, 3], num_feat: [3, 2]}; 1; 6; 5",
    "srresnet; {num_feat: 4, num_block: 1, scale: 2}; 3; 5; 4",
    "srresnet; {num_feat: 4, num_block: 1, scale: 3, style: msrresnet}; 3; 4; 3",
    "rrdbnet; {num_feat: 4, num_grow_ch: 2, num_block: 1, scale: 2}; 3; 4; 5",
    "rrdbnet; {num_feat: 4, num_grow_ch: 2, num_block: 1, scale: 2, batch_norm: true}; 3; 4; 3",
    "srgan_d; {num_feat: 2, input_size: 16}; 3; 16; 16",
    "vgg19; {layers: [conv1_2, conv2_1], before_activation: true}; 3; 6; 4",
  })
  void finiteDifferencesAgreeWithBackprop(String arch, String yamlOptions, long c, long h, long w) throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> options = io.sr4j.config.ConfigLoader.mapper().readValue(yamlOptions, Map.class);
    InputGradientGraph g = GraphGradients.doubleGraph(Architectures.get(arch).configuration(options, arch));
    Nd4j.getRandom().setSeed(7);
    INDArray x = Nd4j.rand(DataType.DOUBLE, 2, c, h, w);
    boolean generator = !arch.equals("srgan_d") && !arch.equals("vgg19");
    assertEquals(generator ? 20 : 40, GraphGradients.check(g, x, 20, 11, !generator));
  }

  @Test
  void vgg128GradientsOnATinyInstance() {
    InputGradientGraph g = GraphGradients.doubleGraph(Architectures.get("vgg128").configuration(Map.of("num_feat", 1), "vgg128"));
    Nd4j.getRandom().setSeed(3);
    assertEquals(24, GraphGradients.check(g, Nd4j.rand(DataType.DOUBLE, 2, 3, 128, 128), 12, 5, true));
  }

  @Test
  void badOptionsNameTheKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> Architectures.get("rrdbnet").configuration(Map.of("num_blok", 3), "network_g"));
    assertTrue(e.getMessage().contains("num_blok: unknown key; did you mean num_block?"), e.getMessage());
    ConfigException k = assertThrows(ConfigException.class,
        () -> Architectures.get("srcnn").configuration(Map.of("kernel_sizes", List.of(9, 2, 5)), "network_g"));
    assertTrue(k.getMessage().contains("kernel_sizes") && k.getMessage().contains("odd"), k.getMessage());
    BadInputException a = assertThrows(BadInputException.class, () -> Architectures.get("rrdb"));
    assertTrue(a.getMessage().contains("unknown architecture 'rrdb'") && a.getMessage().contains("rrdbnet"), a.getMessage());
  }
}
