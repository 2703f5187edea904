package io.sr4j.ckpt.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sr4j.data.BadInputException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TorchCheckpointReaderTest {
  /** The file the malicious fixtures' payload would create (make_weight_fixtures.py, MARKER). */
  private static final Path MARKER = Path.of("sr4j-malicious-fixture-ran");

  @TempDir Path tmp;

  /**
   * tensors_zip.pth: torch.save's default (zip, pickle protocol 2); tensors_zip_protocol4.pth: pickle_protocol=4;
   * tensors_legacy.pth: _use_new_zipfile_serialization=False (the layout of PyTorch 0.4 to 1.5).
   */
  @ParameterizedTest
  @ValueSource(strings = {"tensors_zip.pth", "tensors_zip_protocol4.pth", "tensors_legacy.pth"})
  void readsEveryTensorAsPyTorchWroteIt(String fixture) {
    StateDict sd = TorchCheckpointReader.read(Fixtures.path(fixture)).stateDict();

    Fixtures.assertStateDict(Fixtures.json("tensors_expected.json"), sd);
    assertEquals(List.of("conv.weight", "conv.bias", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var",
        "bn.num_batches_tracked", "view.base", "view.transposed", "view.window", "view.broadcast", "dtype.float16",
        "dtype.bfloat16", "dtype.float64", "dtype.int64", "scalar", "param"), List.copyOf(sd.keys()));
    assertEquals(Fixtures.path(fixture).toString(), sd.source());
  }

  /**
   * The legacy layout as PyTorch 0.1.12 to 0.3 wrote it (torchvision's vgg19-dcbb9e9d.pth): tensors rebuilt by
   * torch._utils._rebuild_tensor (4 arguments) and a tensor on a storage view (view_metadata in the
   * persistent id). torch.load of PyTorch 1.13 reads the fixture as the expected values.
   */
  @Test
  void readsPre04LegacyFilesWithStorageViews() {
    StateDict sd = TorchCheckpointReader.read(Fixtures.path("tensors_legacy_v1.pth")).stateDict();

    Fixtures.assertStateDict(Fixtures.json("tensors_legacy_v1_expected.json"), sd);
    // Storage elements 2..9 of arange(12) * 0.5 - 3 as a view; the tensor covers view elements 1..6.
    assertArrayEquals(new float[] {-1.5f, -1f, -0.5f, 0f, 0.5f, 1f}, sd.get("view.on_storage_view").data());
  }

  @ParameterizedTest
  @ValueSource(strings = {"tensors_zip.pth", "tensors_legacy.pth"})
  void nonContiguousViewsComeOutInCOrder(String fixture) {
    StateDict sd = TorchCheckpointReader.read(Fixtures.path(fixture)).stateDict();
    Tensor base = sd.get("view.base"); // 3x4, values -1, -0.75, ..., 1.75
    Tensor transposed = sd.get("view.transposed"); // base.t(): strides (1, 4) over the same storage
    Tensor window = sd.get("view.window"); // base[1:, 1:3]: storage offset 5, strides (4, 1)
    Tensor broadcast = sd.get("view.broadcast"); // [1.5, -2, 3.25].expand(2, 3): strides (0, 1)

    assertArrayEquals(new long[] {4, 3}, transposed.shape());
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 4; j++) {
        assertEquals(-1 + 0.25f * (4 * i + j), base.get(i, j));
        assertEquals(base.get(i, j), transposed.get(j, i));
      }
    }
    assertArrayEquals(new float[] {0.25f, 0.5f, 1.25f, 1.5f}, window.data());
    assertArrayEquals(new float[] {1.5f, -2f, 3.25f, 1.5f, -2f, 3.25f}, broadcast.data());
  }

  @ParameterizedTest
  @ValueSource(strings = {"tensors_zip.pth", "tensors_legacy.pth"})
  void int64BuffersKeepTheirExactValues(String fixture) {
    StateDict sd = TorchCheckpointReader.read(Fixtures.path(fixture)).stateDict();
    Tensor tracked = sd.get("bn.num_batches_tracked");

    assertEquals("int64", tracked.dtype());
    assertEquals(0, tracked.rank());
    assertEquals(123456789L, tracked.getLong()); // above 2^24: the float copy is rounded
    assertEquals((1L << 40) + 1, sd.get("dtype.int64").getLong(0, 1));
    assertFalse(sd.get("conv.weight").isInteger());
  }

  @Test
  void nestedBasicSrCheckpointOffersItsKeys() {
    Path file = Fixtures.path("basicsr_params.pth");
    TorchCheckpoint ckpt = TorchCheckpointReader.read(file);
    JsonNode expected = Fixtures.json("basicsr_params_expected.json");

    assertEquals(List.of("params", "params_ema"), ckpt.topLevelKeys());
    Fixtures.assertStateDict(expected.get("params"), ckpt.stateDict("params"));
    Fixtures.assertStateDict(expected.get("params_ema"), ckpt.stateDict("params_ema"));
    assertEquals(file + " (key 'params_ema')", ckpt.stateDict("params_ema").source());

    String flat = assertThrows(BadInputException.class, ckpt::stateDict).getMessage();
    assertTrue(flat.contains(file.toString()), flat);
    assertTrue(flat.contains("'params' (a dict of 2 tensors), 'params_ema' (a dict of 2 tensors)"), flat);

    String missing = assertThrows(BadInputException.class, () -> ckpt.stateDict("net_g")).getMessage();
    assertTrue(missing.contains(file + " has no top-level key 'net_g'"), missing);
    assertTrue(missing.contains("'params' (a dict of 2 tensors), 'params_ema'"), missing);
  }

  @Test
  void trainingCheckpointsExposePythonValuesAsJava() {
    Path file = Fixtures.path("training_checkpoint.pth");
    TorchCheckpoint ckpt = TorchCheckpointReader.read(file);

    Map<?, ?> root = (Map<?, ?>) ckpt.root();
    assertEquals(3L, root.get("epoch"));
    assertEquals(0.0001, root.get("lr"));
    assertEquals(BigInteger.ONE.shiftLeft(70), root.get("step"));
    assertEquals(List.of(0.9, 0.99), root.get("betas")); // a tuple
    assertEquals(List.of(1.5, 2.5), root.get("history"));
    assertEquals("srresnet", root.get("name"));
    assertEquals(true, root.get("best"));
    assertTrue(root.containsKey("note") && root.get("note") == null);
    assertThrows(UnsupportedOperationException.class, () -> ((List<?>) root.get("history")).clear());
    assertThrows(UnsupportedOperationException.class, root::clear);
    Fixtures.assertStateDict(Fixtures.json("training_checkpoint_expected.json"), ckpt.stateDict("model"));

    String flat = assertThrows(BadInputException.class, ckpt::stateDict).getMessage();
    assertEquals(file + " does not hold a flat state dict (string keys to tensors) but a dict of 9 entries with keys: "
        + "'epoch' (an int), 'lr' (a float), 'step' (an int), 'model' (a dict of 2 tensors), 'betas' (a list of 2 "
        + "items), 'history' (a list of 2 items), 'name' (a str), 'best' (a bool), 'note' (None); "
        + "choose the key that holds the weights", flat);
    String notWeights = assertThrows(BadInputException.class, () -> ckpt.stateDict("history")).getMessage();
    assertTrue(notWeights.startsWith(file + " (key 'history') holds a list of 2 items, expected a dict of tensors"),
        notWeights);
  }

  @Test
  void aFlatStateDictHasNoKeyToChoose() {
    Path file = Fixtures.path("tensors_zip.pth");
    TorchCheckpoint ckpt = TorchCheckpointReader.read(file);

    String message = assertThrows(BadInputException.class, () -> ckpt.stateDict("params")).getMessage();
    assertTrue(message.contains(file + " has no top-level key 'params'; it holds a dict of 17 tensors"), message);
    String notADict = assertThrows(BadInputException.class, () -> ckpt.stateDict("scalar")).getMessage();
    assertTrue(notADict.contains("(key 'scalar') holds a float32 tensor of shape [], expected a dict of tensors"),
        notADict);
  }

  @ParameterizedTest
  @CsvSource({
      "evil_os_system_zip.pth, os.system",
      "evil_os_system_legacy.pth, os.system",
      "evil_eval_zip.pth, builtins.eval",
      "evil_eval_legacy.pth, builtins.eval"})
  void refusesPicklesThatCallAnythingElse(String fixture, String global) {
    Path file = Fixtures.path(fixture);
    assertFalse(Files.exists(MARKER));

    String message = assertThrows(BadInputException.class, () -> TorchCheckpointReader.read(file)).getMessage();

    assertEquals("refusing to load " + file + ": it references " + global + ", which a weights file never needs",
        message);
    assertFalse(Files.exists(MARKER));
  }

  /**
   * Cut points: inside the zip (its central directory is at the end), inside the legacy pickle, inside the
   * legacy storage data.
   */
  @ParameterizedTest
  @CsvSource({"tensors_zip.pth, 4000", "tensors_zip.pth, 100", "tensors_legacy.pth, 300",
      "tensors_legacy.pth, 2400"})
  void truncatedFilesNameTheFile(String fixture, int length) throws IOException {
    Path cut = Fixtures.truncatedCopy(fixture, length, tmp);

    String message = assertThrows(BadInputException.class, () -> TorchCheckpointReader.read(cut)).getMessage();

    assertTrue(message.contains(cut.toString()), message);
    assertTrue(message.contains("truncated"), message);
  }

  @Test
  void otherFilesAreNotCheckpoints() throws IOException {
    Path text = Files.writeString(tmp.resolve("weights.pth"), "not a checkpoint");

    String message = assertThrows(BadInputException.class, () -> TorchCheckpointReader.read(text)).getMessage();

    assertTrue(message.startsWith(text + " is not a PyTorch checkpoint: expected a zip archive"), message);
    assertThrows(BadInputException.class, () -> TorchCheckpointReader.read(tmp.resolve("missing.pth")));
  }
}
