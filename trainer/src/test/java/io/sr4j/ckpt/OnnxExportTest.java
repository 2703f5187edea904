package io.sr4j.ckpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.arch.Architectures;
import io.sr4j.infer.NetworkUpscaler;
import io.sr4j.infer.OnnxModel;
import io.sr4j.nn.InputGradientGraph;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every generator of the zoo, exported to ONNX and run by ONNX Runtime, matches DL4J on two input sizes; so does the
 * workspace-backed DL4J inference path that sr upscale uses.
 */
class OnnxExportTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = ';', value = {
    "srcnn; {kernel_sizes: [9, 1, 5], padding: valid}",
    "srcnn; {kernel_sizes: [9, 5, 5], padding: same}",
    "srcnn; {kernel_sizes: [9, 3, 5], padding: replicate, num_feat: [16, 8]}",
    "srresnet; {num_feat: 8, num_block: 2, scale: 4}",
    "srresnet; {num_feat: 8, num_block: 1, scale: 3, batch_norm: false}",
    "srresnet; {num_feat: 8, num_block: 2, scale: 4, style: msrresnet}",
    "srresnet; {num_feat: 8, num_block: 1, scale: 2, style: msrresnet}",
    "rrdbnet; {num_feat: 8, num_grow_ch: 4, num_block: 2, scale: 4}",
    "rrdbnet; {num_feat: 8, num_grow_ch: 4, num_block: 1, scale: 3}",
    "rrdbnet; {num_feat: 8, num_grow_ch: 4, num_block: 1, scale: 2, batch_norm: true}",
    "rrdbnet; {num_feat: 8, num_block: 2, scale: 4, block_type: resblock}",
  })
  void onnxRuntimeMatchesDl4j(String arch, String yamlOptions) throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> options = io.sr4j.config.ConfigLoader.mapper().readValue(yamlOptions, Map.class);
    InputGradientGraph g = new InputGradientGraph(Architectures.get(arch).configuration(options, arch));
    g.init();
    Nd4j.getRandom().setSeed(5);
    g.params().assign(Nd4j.rand(DataType.FLOAT, g.params().shape()).subi(0.5).muli(0.4));
    for (Layer l : g.getLayers()) {
      if (l.conf().getLayer() instanceof BatchNormalization) {
        l.getParam("var").assign(Nd4j.rand(DataType.FLOAT, l.getParam("var").shape()).addi(0.5));
      }
    }
    ModelCard card = ModelCard.of(arch, options, "test", null, "raw");
    Path file = dir.resolve("g.onnx");
    OnnxExport.write(g, card, file);
    try (OnnxModel onnx = OnnxModel.open(file)) {
      assertEquals(card.scale(), onnx.card().scale());
      assertEquals(card.colour(), onnx.card().colour());
      NetworkUpscaler.Forward ort = onnx.forward();
      NetworkUpscaler.Forward inference = NetworkUpscaler.dl4j(g);
      long channels = card.colour().equals("y") ? 1 : 3;
      for (int[] size : new int[][] {{21, 17}, {26, 30}}) {
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, channels, size[0], size[1]);
        INDArray expected = g.output(false, x)[0];
        NetworkUpscaler.Output out = ort.apply(x.dup('c').data().asFloat(), (int) channels, size[0], size[1]);
        INDArray actual = Nd4j.create(out.data(), new long[] {1, out.channels(), out.h(), out.w()}, 'c');
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()));
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-4, arch + " " + yamlOptions + " at " + size[0] + "x" + size[1] + ": max |DL4J - ORT| = " + diff + ", max |out| " + expected.amaxNumber());
        NetworkUpscaler.Output ws = inference.apply(x.dup('c').data().asFloat(), (int) channels, size[0], size[1]);
        INDArray wsOut = Nd4j.create(ws.data(), new long[] {1, ws.channels(), ws.h(), ws.w()}, 'c');
        assertEquals(0, expected.sub(wsOut).amaxNumber().doubleValue(), 1e-6, arch + " " + yamlOptions
            + ": inference with workspaces differs from the training graph's output");
      }
    }
  }
}
