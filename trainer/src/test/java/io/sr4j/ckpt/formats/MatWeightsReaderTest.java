package io.sr4j.ckpt.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.data.BadInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MatWeightsReaderTest {
  @TempDir Path tmp;

  @Test
  void columnMajorMatricesComeOutInCOrder() {
    StateDict sd = MatWeightsReader.read(Fixtures.path("column_major.mat"));

    // The char variable 'label' is not numeric and is skipped.
    Fixtures.assertStateDict(Fixtures.json("column_major_mat_expected.json"), sd);
    Tensor m23 = sd.get("m23"); // MATLAB [1 2 3; 4 5 6], stored on disk as 1 4 2 5 3 6
    assertArrayEquals(new long[] {2, 3}, m23.shape());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, m23.data());
    assertEquals(4f, m23.get(1, 0)); // MATLAB m23(2, 1)
    Tensor cube = sd.get("cube"); // numpy (arange(24).reshape(2, 3, 4) - 10) / 4, single
    assertEquals("float32", cube.dtype());
    assertEquals((1 * 12 + 2 * 4 + 3 - 10) / 4f, cube.get(1, 2, 3));
    assertEquals(300L, sd.get("i16").getLong(1, 0));
  }

  /**
   * The original SRCNN 9-5-5 ImageNet x3 weights. Names and shapes as in shared/data/SOURCES.md; values read
   * independently with scipy.io.loadmat (Python floats of the stored doubles, which all are float32 values).
   */
  @Test
  void readsTheOriginalSrcnnWeights() {
    Path file = Path.of(System.getProperty("sr4j.sharedData", "../shared/data"),
        "weights", "srcnn_matlab", "9-5-5_ImageNet", "x3.mat");
    Assumptions.assumeTrue(Files.isRegularFile(file), "the shared SRCNN weights are not present at " + file);

    StateDict sd = MatWeightsReader.read(file);

    assertEquals(List.of("weights_conv1", "biases_conv1", "biases_conv2", "weights_conv2", "weights_conv3",
        "biases_conv3"), List.copyOf(sd.keys()));
    assertShape(sd, "weights_conv1", 81, 64);
    assertShape(sd, "biases_conv1", 64, 1);
    assertShape(sd, "weights_conv2", 64, 25, 32);
    assertShape(sd, "biases_conv2", 32, 1);
    assertShape(sd, "weights_conv3", 32, 25);
    assertShape(sd, "biases_conv3", 1, 1);
    assertEquals("float64", sd.get("weights_conv2").dtype());
    // scipy: m['weights_conv1'][5, 7], m['weights_conv2'][1, 2, 3], m['weights_conv2'][63, 24, 31], ...
    assertEquals((float) -0.6334207057952881, sd.get("weights_conv1").get(5, 7));
    assertEquals((float) 0.02935132384300232, sd.get("weights_conv2").get(1, 2, 3));
    assertEquals((float) 0.09098601341247559, sd.get("weights_conv2").get(63, 24, 31));
    assertEquals((float) -0.00017389626009389758, sd.get("biases_conv1").get(10, 0));
    assertEquals((float) -0.02953004278242588, sd.get("weights_conv3").get(31, 24));
    assertEquals((float) -0.024417225271463394, sd.get("biases_conv3").get(0, 0));
  }

  private static void assertShape(StateDict sd, String key, long... shape) {
    assertArrayEquals(shape, sd.get(key).shape(), key + " " + Arrays.toString(sd.get(key).shape()));
  }

  @ParameterizedTest
  @ValueSource(ints = {60, 200, 400})
  void truncatedFilesNameTheFile(int length) throws IOException {
    Path cut = Fixtures.truncatedCopy("column_major.mat", length, tmp);

    String message = assertThrows(BadInputException.class, () -> MatWeightsReader.read(cut)).getMessage();

    assertTrue(message.startsWith(cut + " is not a readable MAT v5 file (truncated or corrupt?)"), message);
  }

  @Test
  void v73FilesAreRefusedWithAHint() throws IOException {
    Path file = Files.write(tmp.resolve("x3.mat"),
        "MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: ...".getBytes(StandardCharsets.US_ASCII));

    String message = assertThrows(BadInputException.class, () -> MatWeightsReader.read(file)).getMessage();

    assertEquals(file + " is a MAT v7.3 (HDF5) file; expected MAT v5: re-save it in MATLAB with save(..., '-v7')",
        message);
  }
}
