package io.sr4j.ckpt.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sr4j.data.BadInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SafetensorsReaderTest {
  @TempDir Path tmp;

  /** A safetensors file with the given JSON header and {@code dataBytes} zero bytes of data. */
  private Path file(String header, int dataBytes) throws IOException {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer bytes = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    bytes.putLong(json.length).put(json);
    return Files.write(tmp.resolve("model.safetensors"), bytes.array());
  }

  @Test
  void readsEveryTensorInDataOrder() {
    Path file = Fixtures.path("tensors.safetensors");
    JsonNode expected = Fixtures.json("tensors_safetensors_expected.json");

    StateDict sd = SafetensorsReader.read(file);

    Fixtures.assertStateDict(expected.get("tensors"), sd);
    assertEquals(List.of("weight.f32", "weight.f16", "weight.bf16", "weight.f64", "steps.i64"),
        List.copyOf(sd.keys()));
    assertEquals(-(1L << 40), sd.get("steps.i64").getLong(1));
    assertEquals(Map.of("format", "pt", "source", "sr4j test fixture"), SafetensorsReader.metadata(file));
  }

  @Test
  void emptyTensorsAndMissingMetadataAreFine() throws IOException {
    Path file = file("{\"e\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[0,0]},"
        + "\"s\":{\"dtype\":\"F16\",\"shape\":[],\"data_offsets\":[0,2]}}", 2);

    StateDict sd = SafetensorsReader.read(file);

    assertEquals(0, sd.get("e").numel());
    assertEquals(0f, sd.get("s").get());
    assertEquals(Map.of(), SafetensorsReader.metadata(file));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // The span must match dtype and shape: 2x3 F32 is 24 bytes.
      "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}|20|"
          + "tensor 'w': data_offsets 0..20 should span 24 bytes for F32 shape [2,3]",
      // Tensors must tile the data: no gap ...
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
          + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}|12|"
          + "tensor 'b': data starts at byte 8, expected 4",
      // ... and no overlap,
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
          + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}|8|"
          + "tensor 'b': data starts at byte 4, expected 8",
      // ... up to the end of the file.
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}|6|"
          + "the header describes 4 bytes of tensor data but the file holds 6 (corrupt file?)",
      "{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}|1|"
          + "tensor 'a': expected dtype one of [BF16, BOOL, F16, F32, F64, I16, I32, I64, I8, U8], found \"F8_E4M3\"",
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}|4|"
          + "tensor 'a': expected shape to be an array of non-negative integers, found [-1]",
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{}}|4|"
          + "expected a JSON object as safetensors header: Duplicate field 'a'",
      "{\"__metadata__\":{\"epoch\":3}}|0|expected __metadata__ value 'epoch' to be a string, found 3"})
  void inconsistentHeadersAreRefused(String header, int dataBytes, String expected) throws IOException {
    Path file = file(header, dataBytes);

    String message = assertThrows(BadInputException.class, () -> SafetensorsReader.read(file)).getMessage();

    assertTrue(message.startsWith(file.toString()), message);
    assertTrue(message.contains(expected), message);
  }

  /** The fixture has an 8-byte length, 392 bytes of JSON and 70 bytes of data. */
  @ParameterizedTest
  @CsvSource({"5, expected an 8-byte header length", "100, declares a JSON header of 392 bytes but has only 92",
      "430, the header describes 70 bytes of tensor data but the file holds 30 (truncated file?)"})
  void truncatedFilesNameTheFile(int length, String expected) throws IOException {
    Path cut = Fixtures.truncatedCopy("tensors.safetensors", length, tmp);

    String message = assertThrows(BadInputException.class, () -> SafetensorsReader.read(cut)).getMessage();

    assertTrue(message.startsWith(cut.toString()), message);
    assertTrue(message.contains(expected), message);
  }
}
