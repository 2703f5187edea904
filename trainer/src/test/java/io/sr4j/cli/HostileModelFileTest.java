package io.sr4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.ckpt.HostileModelFiles;
import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crafted model files that declare far more than they hold are refused before anything that size is allocated or
 * inflated: one error line naming the file and what is wrong, no exception class name, no JSON, within seconds.
 */
class HostileModelFileTest {
  private static final Path SRC = HostileModelFiles.SRCNN_X2;

  @TempDir Path dir;
  private Path input;

  @BeforeEach
  void tinyInput() {
    input = dir.resolve("in.png");
    float[] p = new float[16 * 16];
    ImageFiles.write(Image.of(16, 16, p, p, p), input);
  }

  /** Upscales with {@code model}; it must fail in one line that names it and contains every {@code fragment}. */
  private void assertRefused(Path model, String... fragments) {
    long start = System.nanoTime();
    CliRunner.Result r = CliRunner.run("upscale", "-m", model.toString(), "-s", "2", "-i", input.toString(),
        "-o", dir.resolve("out.png").toString());
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(1, r.exit(), r.err());
    assertEquals(1, r.errLines(), "one line:\n" + r.err());
    String err = r.err();
    assertTrue(err.contains(model.getFileName().toString()), err);
    for (String f : fragments) {
      assertTrue(err.contains(f), "should say '" + f + "': " + err);
    }
    assertFalse(err.matches("(?s).*(Exception|Error|\\{\").*"), "no exception class or JSON: " + err);
    assertTrue(seconds < 15, "refused early, took " + seconds + " s");
    assertFalse(Files.exists(dir.resolve("out.png")));
  }

  @Test
  void coefficientLengthOf2To62() throws IOException {
    Path zip = HostileModelFiles.dl4jWithCoefficientLength(SRC, dir.resolve("len62.zip"), 1L << 62, false);
    assertRefused(zip, "coefficients.bin", "4611686018427387904");
  }

  @Test
  void coefficientShapeOf2To31Minus2() throws IOException {
    Path zip = HostileModelFiles.dl4jWithCoefficientLength(SRC, dir.resolve("shape31.zip"), (1L << 31) - 2, true);
    assertRefused(zip, "coefficients.bin", "2147483646", "limit");
  }

  @Test
  void configurationThatInflatesTo3GiB() throws IOException {
    Path honest = HostileModelFiles.dl4jConfigurationBomb(SRC, dir.resolve("bomb.zip"), 3L << 30, 3L << 30);
    assertTrue(Files.size(honest) < 4 << 20);
    assertRefused(honest, "configuration.json", "3.0 GiB", "limit");
    // the directory claims the real size of the configuration; the data inflates 500 000 times more
    Path lying = HostileModelFiles.dl4jConfigurationBomb(SRC, dir.resolve("lying.zip"), 3L << 30, 5969);
    assertRefused(lying, "configuration.json", "more than its declared 5969 bytes");
  }

  @Test
  void garbageAndWrongClassConfigurations() throws IOException {
    assertRefused(HostileModelFiles.dl4jWithConfiguration(SRC, dir.resolve("garbage.zip"), "this is not JSON {"),
        "configuration.json is not valid JSON (at line 1, column 6)");
    assertRefused(HostileModelFiles.dl4jWithConfiguration(SRC, dir.resolve("class.zip"),
        "{\"@class\":\"java.lang.ProcessBuilder\",\"vertices\":{\"x\":{\"@class\":\"no.such.Vertex\"}}}"),
        "configuration.json is not a DL4J ComputationGraph configuration");
    assertRefused(HostileModelFiles.dl4jWithConfiguration(SRC, dir.resolve("array.zip"), "[1, 2, 3]"),
        "configuration.json is not a DL4J ComputationGraph configuration");
  }

  @Test
  void torchPickleThatInflatesTo3GiB() throws IOException {
    Path pth = HostileModelFiles.torchPickleBomb(dir.resolve("bomb.pth"), 3L << 30);
    assertTrue(Files.size(pth) < 4 << 20);
    assertRefused(pth, "archive/data.pkl", "limit");
  }

  @Test
  void torchStorageOf530MillionElements() throws IOException {
    Path pth = HostileModelFiles.torchHugeStorage(dir.resolve("storage.pth"), 505L << 20);
    assertTrue(Files.size(pth) < 3 << 20);
    assertRefused(pth, "storage '0'", "529530880 float32 elements", "limit");
  }

  @Test
  void torchTensorViewingOneElementAsABillion() throws IOException {
    Path pth = HostileModelFiles.torchBroadcastView(dir.resolve("view.pth"), 1L << 30);
    assertRefused(pth, "['w']", "1073741824 elements", "4 times the 1 elements the file stores");
  }

  @Test
  void matVariablesLargerThanTheirData() throws IOException {
    Path mat = HostileModelFiles.matWithDims(dir.resolve("srcnn_x2.mat"), 46340, 46340);
    assertRefused(mat, "Incorrect number of elements");
    Path compressed = HostileModelFiles.matCompressedZeros(dir.resolve("srcnn_z_x2.mat"), 1 << 30);
    assertTrue(Files.size(compressed) < 2 << 20);
    assertRefused(compressed, "srcnn_z_x2.mat declares variables of 1073741824 bytes (1.0 GiB), more than the limit");
    assertFalse(CliRunner.run("upscale", "-m", compressed.toString(), "-s", "2", "-i", input.toString(), "-o",
        dir.resolve("o.png").toString()).err().contains("not a readable MAT"), "the limit, not a corrupt file");
  }

  @Test
  void onnxInitializerAndOperators() throws IOException {
    assertRefused(HostileModelFiles.onnx(dir.resolve("init.onnx"), new long[] {(1L << 31) - 2}, null),
        "initializer 'w'", "2147483646 elements", "holds 1");
    assertRefused(HostileModelFiles.onnx(dir.resolve("op.onnx"), new long[] {1}, "ConstantOfShape"),
        "ConstantOfShape operator", "sr export");
  }

  @Test
  void safetensorsHeaderAndShape() throws IOException {
    assertRefused(HostileModelFiles.safetensorsHeaderLength(dir.resolve("header.safetensors"), 1L << 62),
        "4611686018427387904");
    assertRefused(HostileModelFiles.safetensorsShape(dir.resolve("shape.safetensors"), (1L << 31) - 2),
        "tensor 'w'", "8589934584 bytes");
  }
}
