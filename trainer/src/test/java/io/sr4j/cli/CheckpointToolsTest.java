package io.sr4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sr4j.arch.Architectures;
import io.sr4j.ckpt.Checkpoint;
import io.sr4j.ckpt.ModelCard;
import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.nn.InputGradientGraph;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import onnx.Onnx;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** sr interpolate, sr export and tiled sr upscale, end to end. */
class CheckpointToolsTest {
  @TempDir Path dir;

  /** A small random RRDBNet x4 model file; {@code seed} varies its weights. */
  private Path rrdb(String name, int blocks, long seed) {
    return rrdb(name, Map.of("num_feat", 8, "num_block", blocks, "num_grow_ch", 4, "scale", 4), seed);
  }

  private Path rrdb(String name, Map<String, Object> options, long seed) {
    InputGradientGraph g = new InputGradientGraph(Architectures.get("rrdbnet").configuration(options, "rrdbnet"));
    g.init();
    Nd4j.getRandom().setSeed(seed);
    g.params().assign(Nd4j.rand(DataType.FLOAT, g.params().shape()).subi(0.5).muli(0.2));
    Path file = dir.resolve(name);
    Checkpoint.write(file, g, ModelCard.of("rrdbnet", options, "test", null, "raw"), false, Map.of());
    return file;
  }

  private static Path fixture(String name) throws URISyntaxException {
    return Path.of(CheckpointToolsTest.class.getResource("/io/sr4j/ckpt/models/" + name).toURI());
  }

  private static INDArray params(Path file) {
    return Checkpoint.read(file, false).network().params();
  }

  @Test
  void interpolationIsLinearAndKeepsAlphaExact() throws IOException {
    Path a = rrdb("a.zip", 1, 1);
    Path b = rrdb("b.zip", 1, 2);
    CliRunner.Result r = CliRunner.run("interpolate", "--a", a.toString(), "--b", b.toString(), "--alpha", "0.3",
        "--output", dir.toString() + "/");
    assertEquals(0, r.exit(), r.err());
    Path out = dir.resolve("interp_a_b_alpha0.3.zip");
    assertTrue(Files.exists(out), r.out());
    INDArray expected = params(a).mul(0.7).addi(params(b).mul(0.3));
    assertEquals(0, expected.sub(params(out)).amaxNumber().doubleValue(), 1e-6);
    JsonNode meta = new ObjectMapper().readTree(Checkpoint.entry(out, "sr4j/interpolation.json").orElseThrow());
    assertEquals("0.3", meta.get("alpha").asText());
    assertTrue(Checkpoint.card(out).orElseThrow().source().contains("0.3"));
    CliRunner.Result zero = CliRunner.run("interpolate", "--a", a.toString(), "--b", b.toString(), "--alpha", "0",
        "--output", dir.resolve("zero.zip").toString());
    assertEquals(0, zero.exit(), zero.err());
    assertEquals(0, params(a).sub(params(dir.resolve("zero.zip"))).amaxNumber().doubleValue(), 0);
  }

  @Test
  void optionsSpelledOutOrLeftAtTheirDefaultsAreTheSameNetwork() {
    Path a = rrdb("a.zip", 1, 1);
    Path explicit = rrdb("explicit.zip",
        Map.of("num_feat", 8, "num_block", 1, "num_grow_ch", 4, "scale", 4, "num_in_ch", 3, "num_out_ch", 3), 2);
    CliRunner.Result r = CliRunner.run("interpolate", "--a", a.toString(), "--b", explicit.toString(), "--alpha", "0.5",
        "--output", dir.resolve("mixed.zip").toString());
    assertEquals(0, r.exit(), r.err());
    Path gray = rrdb("gray.zip", Map.of("num_feat", 8, "num_block", 1, "num_grow_ch", 4, "scale", 4, "num_in_ch", 1), 3);
    CliRunner.Result refused = CliRunner.run("interpolate", "--a", a.toString(), "--b", gray.toString(), "--alpha", "0.5");
    assertEquals(1, refused.exit());
    assertTrue(refused.err().contains("option num_in_ch is the default in") && refused.err().contains("but 1 in"),
        refused.err());
  }

  @Test
  void interpolationRefusesMismatchesAndOutOfRangeAlpha() throws Exception {
    Path a = rrdb("a.zip", 1, 1);
    Path deeper = rrdb("deeper.zip", 2, 3);
    CliRunner.Result opt = CliRunner.run("interpolate", "--a", a.toString(), "--b", deeper.toString(), "--alpha", "0.5");
    assertEquals(1, opt.exit());
    assertTrue(opt.err().contains("option num_block is 1") && opt.err().contains("but 2"), opt.err());
    CliRunner.Result arch = CliRunner.run("interpolate", "--a", a.toString(), "--b", "../pretrained/srcnn_955_x4.zip",
        "--alpha", "0.5");
    assertEquals(1, arch.exit());
    assertTrue(arch.err().contains("rrdbnet") && arch.err().contains("srcnn"), arch.err());
    CliRunner.Result range = CliRunner.run("interpolate", "--a", a.toString(), "--b", a.toString(), "--alpha", "1.2");
    assertEquals(2, range.exit());
    assertTrue(range.err().contains("outside [0, 1]") && range.err().contains("--extrapolate"), range.err());
    assertEquals(0, CliRunner.run("interpolate", "--a", a.toString(), "--b", a.toString(), "--alpha", "1.2",
        "--extrapolate", "--output", dir.resolve("x.zip").toString()).exit());
    Path basicsr = fixture("rrdb_basicsr_x4.pth");
    CliRunner.Result choose = CliRunner.run("interpolate", "--a", basicsr.toString(), "--b", basicsr.toString(), "--alpha", "0.5");
    assertEquals(1, choose.exit());
    assertTrue(choose.err().contains("raw and EMA") && choose.err().contains("--weights-a"), choose.err());
    CliRunner.Result pth = CliRunner.run("interpolate", "--a", basicsr.toString(), "--weights-a", "raw", "--b",
        basicsr.toString(), "--weights-b", "ema", "--alpha", "0.5", "--output", dir.resolve("pth.zip").toString());
    assertEquals(0, pth.exit(), pth.err());
  }

  @Test
  void sweepWritesTableJsonAndGrid() throws IOException {
    // A: the released SRCNN x4; B: the same network with perturbed weights
    Path a = Path.of("../pretrained/srcnn_955_x4.zip");
    Checkpoint.Loaded la = Checkpoint.read(a, false);
    Nd4j.getRandom().setSeed(9);
    la.network().params().addi(Nd4j.randn(DataType.FLOAT, la.network().params().shape()).muli(0.01));
    Path b = dir.resolve("b.zip");
    Checkpoint.write(b, la.network(), la.card(), false, Map.of());
    Path out = dir.resolve("sweep");
    CliRunner.Result r = CliRunner.run("interpolate", "--a", a.toString(), "--b", b.toString(), "--sweep", "0:1:0.5",
        "--hr", "Set5", "--out-dir", out.toString(), "--grid-images", "2", "--crop", "48");
    assertEquals(0, r.exit(), r.err());
    JsonNode json = new ObjectMapper().readTree(out.resolve("sweep.json").toFile());
    assertEquals(3, json.get("rows").size());
    assertEquals("0.5", json.get("rows").get(1).get("alpha").asText());
    assertTrue(json.get("rows").get(0).get("niqe").asDouble() > 0);
    assertTrue(Files.readString(out.resolve("sweep.md")).contains("| 1 |"));
    Image grid = ImageFiles.read(out.resolve("grid.png"));
    assertTrue(grid.width() > 5 * 48 && grid.height() > 2 * 48, grid.toString());
  }

  @Test
  void exportsLoadInPlainDl4jAndOnnxMatchesTheCheckpoint() throws Exception {
    Path dl4j = dir.resolve("srcnn.zip");
    Path onnx = dir.resolve("srcnn.onnx");
    assertEquals(0, CliRunner.run("export", "-m", "../pretrained/srcnn_955_x3.zip", "--format", "dl4j", "-o", dl4j.toString()).exit());
    assertEquals(0, CliRunner.run("export", "-m", "../pretrained/srcnn_955_x3.zip", "--format", "onnx", "-o", onnx.toString()).exit());
    ComputationGraph plain = ModelSerializer.restoreComputationGraph(dl4j.toFile(), false);
    assertEquals(3, plain.outputSingle(Nd4j.rand(DataType.FLOAT, 1, 1, 20, 20)).rank() + 0 - 1);
    Path a = dir.resolve("a.json");
    Path b = dir.resolve("b.json");
    assertEquals(0, CliRunner.run("evaluate", "-m", dl4j.toString(), "--hr", "Set5", "-s", "3", "--json", a.toString()).exit());
    assertEquals(0, CliRunner.run("evaluate", "-m", onnx.toString(), "--hr", "Set5", "-s", "3", "--json", b.toString()).exit());
    double pa = new ObjectMapper().readTree(a.toFile()).get("mean").get("psnr").asDouble();
    double pb = new ObjectMapper().readTree(b.toFile()).get("mean").get("psnr").asDouble();
    assertEquals(32.75, pa, 0.01, "the exported SRCNN still reproduces the paper");
    assertEquals(pa, pb, 1e-3, "ONNX Runtime gives the DL4J numbers");
  }

  @Test
  void exportsAndInterpolationsCarryTheSourcesConfigAndProvenance() throws IOException {
    Path yml = dir.resolve("prov.yml");
    Files.writeString(yml, """
        name: prov
        scale: 3
        manual_seed: 5
        datasets:
          train: {type: SRCNNSubImageDataset, dataroot_gt: T91, batch_size_per_gpu: 4, num_worker_per_gpu: 1}
          val: {name: Set5, dataroot_gt: Set5}
        network_g: {type: srcnn, scale: 3, num_in_ch: 1, kernel_sizes: [5, 1, 3], num_feat: [8, 4], padding: valid}
        path: {experiments_root: %s}
        train: {optim_g: {type: Adam, lr: 0.001}, total_iter: 2, pixel_opt: {type: MSELoss}}
        val: {val_freq: 1000, save_img: false}
        logger: {print_freq: 1, save_checkpoint_freq: 1000}
        """.formatted(dir.resolve("runs")));
    CliRunner.Result t = CliRunner.run("train", yml.toString());
    assertEquals(0, t.exit(), t.err());
    Path model = dir.resolve("runs/prov/models/net_g_final.zip");
    byte[] config = Checkpoint.entry(model, Checkpoint.CONFIG_ENTRY).orElseThrow();
    byte[] provenance = Checkpoint.entry(model, Checkpoint.PROVENANCE_ENTRY).orElseThrow();

    Path zip = dir.resolve("exported.zip");
    assertEquals(0, CliRunner.run("export", "-m", model.toString(), "--format", "dl4j", "-o", zip.toString()).exit());
    assertArrayEquals(config, Checkpoint.entry(zip, Checkpoint.CONFIG_ENTRY).orElseThrow());
    assertArrayEquals(provenance, Checkpoint.entry(zip, Checkpoint.PROVENANCE_ENTRY).orElseThrow());

    Path onnx = dir.resolve("exported.onnx");
    assertEquals(0, CliRunner.run("export", "-m", model.toString(), "--format", "onnx", "-o", onnx.toString()).exit());
    Map<String, String> meta = new java.util.HashMap<>();
    Onnx.ModelProto.parseFrom(Files.readAllBytes(onnx)).getMetadataPropsList()
        .forEach(e -> meta.put(e.getKey(), e.getValue()));
    assertEquals(new String(config, StandardCharsets.UTF_8), meta.get("sr4j.config"));
    assertEquals(new String(provenance, StandardCharsets.UTF_8), meta.get("sr4j.provenance"));

    CliRunner.Result r = CliRunner.run("interpolate", "--a", model.toString(), "--b", zip.toString(), "--alpha", "0.5",
        "--output", dir.resolve("half.zip").toString());
    assertEquals(0, r.exit(), r.err());
    Path half = dir.resolve("half.zip");
    assertTrue(Checkpoint.provenance(half).isEmpty(), "an interpolation is no run's output");
    for (String source : List.of("a", "b")) {
      assertArrayEquals(provenance, Checkpoint.entry(half, "sr4j/sources/" + source + "/provenance.json").orElseThrow());
      assertArrayEquals(config, Checkpoint.entry(half, "sr4j/sources/" + source + "/config.yml").orElseThrow());
    }
  }

  @Test
  void tiledUpscalingEqualsWholeImageForGrayRgbaAnd16Bit() throws IOException {
    Path model = rrdb("m.zip", 1, 4); // receptive radius well under the 16 px padding... checked below
    Random rnd = new Random(5);
    int w = 45;
    int h = 38;
    float[][] rgb = new float[3][w * h];
    float[] alpha = new float[w * h];
    for (int i = 0; i < w * h; i++) {
      for (float[] p : rgb) {
        p[i] = rnd.nextInt(65536) / 65535f;
      }
      alpha[i] = rnd.nextFloat();
    }
    Image[] inputs = {Image.of(w, h, rgb[0]), new Image(w, h, rgb, alpha, 16)};
    for (int k = 0; k < inputs.length; k++) {
      Path in = dir.resolve("in" + k + ".png");
      ImageFiles.write(inputs[k], in);
      Path whole = dir.resolve("whole" + k + ".png");
      Path tiled = dir.resolve("tiled" + k + ".png");
      assertEquals(0, CliRunner.run("upscale", "-m", model.toString(), "-s", "4", "-i", in.toString(), "-o", whole.toString()).exit());
      CliRunner.Result t = CliRunner.run("upscale", "-m", model.toString(), "-s", "4", "-i", in.toString(), "-o",
          tiled.toString(), "--tile", "16", "--tile-pad", "24", "--stats");
      assertEquals(0, t.exit(), t.err());
      assertTrue(t.out().contains("peak resident memory"), t.out());
      Image a = ImageFiles.read(whole);
      Image b = ImageFiles.read(tiled);
      assertEquals(a.toString(), b.toString());
      double max = 0;
      for (int c = 0; c < a.channels(); c++) {
        for (int i = 0; i < a.plane(c).length; i++) {
          max = Math.max(max, Math.abs(a.plane(c)[i] - b.plane(c)[i]));
        }
      }
      assertTrue(max <= 1 / 255.0, "tiled vs whole max difference " + max);
    }
  }
}
