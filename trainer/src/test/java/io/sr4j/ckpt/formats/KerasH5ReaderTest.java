package io.sr4j.ckpt.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sr4j.data.BadInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.global.hdf5;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KerasH5ReaderTest {
  @TempDir Path tmp;

  @Test
  void readsLayersInOrderWithHwioShapes() {
    Path file = Fixtures.path("keras_vgg_layout.h5");
    JsonNode expected = Fixtures.json("keras_vgg_layout_expected.json");

    StateDict sd = KerasH5Reader.read(file);

    // block1_pool lists no weights; block1_conv2 uses Keras 2 names inside a nested group.
    assertEquals(List.of("block1_conv1/block1_conv1_W_1:0", "block1_conv1/block1_conv1_b_1:0",
        "block1_conv2/block1_conv2/kernel:0", "block1_conv2/block1_conv2/bias:0"), List.copyOf(sd.keys()));
    Fixtures.assertStateDict(expected, sd);
    // HWIO: [kernel height, kernel width, input channels, output channels].
    assertArrayEquals(new long[] {3, 3, 3, 2}, sd.get("block1_conv1/block1_conv1_W_1:0").shape());
    JsonNode kernel = expected.get("block1_conv1/block1_conv1_W_1:0").get("values");
    int flat = ((1 * 3 + 2) * 3 + 0) * 2 + 1; // C-order position of (kh=1, kw=2, in=0, out=1)
    assertEquals((float) kernel.get(flat).asDouble(), sd.get("block1_conv1/block1_conv1_W_1:0").get(1, 2, 0, 1));
  }

  @ParameterizedTest
  @ValueSource(ints = {100, 6000})
  void truncatedFilesNameTheFile(int length) throws IOException {
    Path cut = Fixtures.truncatedCopy("keras_vgg_layout.h5", length, tmp);

    String message = assertThrows(BadInputException.class, () -> KerasH5Reader.read(cut)).getMessage();

    assertTrue(message.startsWith(cut + " is not a readable HDF5 file (truncated or corrupt?)"), message);
  }

  @Test
  void otherHdf5FilesAreNotKerasWeights() {
    Path file = tmp.resolve("empty.h5");
    new H5File(file.toString(), hdf5.H5F_ACC_TRUNC()).close(); // an HDF5 file with an empty root group

    String message = assertThrows(BadInputException.class, () -> KerasH5Reader.read(file)).getMessage();

    assertEquals(file + " has no attribute 'layer_names' at its root or in group 'model_weights': expected Keras "
        + "1/2 weights (model.save_weights to .h5)", message);
    assertThrows(BadInputException.class, () -> KerasH5Reader.read(tmp.resolve("missing.h5")));
  }
}
