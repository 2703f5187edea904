package io.sr4j.ckpt.formats;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sr4j.data.BadInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code .safetensors} files: an unsigned 64-bit little-endian header length N, N bytes of UTF-8 JSON
 * (possibly padded with spaces), then the data. The header maps each tensor name to
 * {@code {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}} (byte offsets into the data, end
 * exclusive, little-endian C-order elements) and may hold {@code "__metadata__"}, a map of strings.
 *
 * <p>dtypes read: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL. As in the reference implementation the
 * tensors must tile the data exactly: sorted by offset, each starts where the previous ends, the first at 0 and
 * the last at the end of the file, and each spans exactly its elements' bytes.
 */
public final class SafetensorsReader {
  /** The reference implementation's limit on the header size. */
  private static final long MAX_HEADER_BYTES = 100L << 20;
  private static final String METADATA_KEY = "__metadata__";
  private static final Map<String, ElementType> DTYPES = Map.of(
      "F64", ElementType.FLOAT64,
      "F32", ElementType.FLOAT32,
      "F16", ElementType.FLOAT16,
      "BF16", ElementType.BFLOAT16,
      "I64", ElementType.INT64,
      "I32", ElementType.INT32,
      "I16", ElementType.INT16,
      "I8", ElementType.INT8,
      "U8", ElementType.UINT8,
      "BOOL", ElementType.BOOL);

  private SafetensorsReader() {}

  /** One tensor's header entry; {@code begin} and {@code end} are byte offsets into the data. */
  private record Entry(String name, ElementType type, long[] shape, long begin, long end) {}

  /** A parsed header; {@code dataStart} is the file position of data byte 0. */
  private record Header(Map<String, String> metadata, List<Entry> entries, long dataStart) {}

  /**
   * Reads every tensor, in data order.
   *
   * @throws BadInputException if the file is missing, truncated or its header is inconsistent, naming the file
   *     and the tensor
   */
  public static StateDict read(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      Header header = header(file, channel);
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      for (Entry entry : header.entries()) {
        ByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, header.dataStart() + entry.begin(),
            entry.end() - entry.begin()).order(ByteOrder.LITTLE_ENDIAN);
        String what = file + ", tensor '" + entry.name() + "'";
        tensors.put(entry.name(), RawTensors.decode(what, entry.type(), bytes, 0, entry.shape(),
            RawTensors.contiguousStrides(entry.shape())));
      }
      return new StateDict(file.toString(), tensors);
    } catch (IOException e) {
      throw new BadInputException("cannot read safetensors file " + file + ": " + e.getMessage(), e);
    }
  }

  /** The header's {@code __metadata__} (empty when absent), without reading any tensor. */
  public static Map<String, String> metadata(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return header(file, channel).metadata();
    } catch (IOException e) {
      throw new BadInputException("cannot read safetensors file " + file + ": " + e.getMessage(), e);
    }
  }

  private static Header header(Path file, FileChannel channel) throws IOException {
    long size = channel.size();
    ByteBuffer lengthField = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    if (size < Long.BYTES || channel.read(lengthField, 0) != Long.BYTES) {
      throw new BadInputException(file + " is not a safetensors file: expected an 8-byte header length, "
          + "the file has " + size + " bytes");
    }
    long headerBytes = lengthField.getLong(0);
    if (headerBytes < 2 || headerBytes > MAX_HEADER_BYTES) {
      throw new BadInputException(file + " is not a safetensors file: expected a JSON header length of 2 to "
          + MAX_HEADER_BYTES + " bytes, found " + Long.toUnsignedString(headerBytes));
    }
    if (headerBytes > size - Long.BYTES) {
      throw new BadInputException(file + " declares a JSON header of " + headerBytes + " bytes but has only "
          + (size - Long.BYTES) + " bytes after the header length (truncated file?)");
    }
    ByteBuffer text = ByteBuffer.allocate((int) headerBytes);
    channel.read(text, Long.BYTES);
    JsonNode json;
    try {
      ObjectMapper mapper = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      json = mapper.readTree(text.array());
    } catch (JsonProcessingException e) {
      throw new BadInputException(file + ": expected a JSON object as safetensors header: "
          + e.getOriginalMessage(), e);
    }
    if (json == null || !json.isObject()) {
      throw new BadInputException(file + ": expected a JSON object as safetensors header");
    }
    long dataStart = Long.BYTES + headerBytes;
    Map<String, String> metadata = new LinkedHashMap<>();
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : json.properties()) {
      if (field.getKey().equals(METADATA_KEY)) {
        metadata = metadata(file, field.getValue());
      } else {
        entries.add(entry(file, field.getKey(), field.getValue()));
      }
    }
    checkTiling(file, entries, size - dataStart);
    return new Header(metadata, entries, dataStart);
  }

  private static Map<String, String> metadata(Path file, JsonNode node) {
    Map<String, String> metadata = new LinkedHashMap<>();
    if (!node.isObject()) {
      throw new BadInputException(file + ": expected " + METADATA_KEY + " to be a JSON object of strings");
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      if (!field.getValue().isTextual()) {
        throw new BadInputException(file + ": expected " + METADATA_KEY + " value '" + field.getKey()
            + "' to be a string, found " + field.getValue());
      }
      metadata.put(field.getKey(), field.getValue().asText());
    }
    return metadata;
  }

  private static Entry entry(Path file, String name, JsonNode node) {
    String where = file + ", tensor '" + name + "'";
    JsonNode dtype = node.path("dtype");
    ElementType type = DTYPES.get(dtype.asText());
    if (!dtype.isTextual() || type == null) {
      throw new BadInputException(where + ": expected dtype one of " + DTYPES.keySet().stream().sorted().toList()
          + ", found " + dtype);
    }
    long[] shape = naturals(where, node.path("shape"), "shape", -1);
    long[] offsets = naturals(where, node.path("data_offsets"), "data_offsets", 2);
    long expectedBytes;
    try {
      long numel = 1;
      for (long dim : shape) {
        numel = Math.multiplyExact(numel, dim);
      }
      expectedBytes = Math.multiplyExact(numel, type.bytes());
    } catch (ArithmeticException e) {
      throw new BadInputException(where + ": shape " + node.path("shape") + " overflows 64 bits (corrupt header?)");
    }
    if (expectedBytes > RawTensors.MAX_ARRAY_LENGTH) {
      throw new BadInputException(where + " has " + expectedBytes + " bytes; this reader handles tensors up to "
          + RawTensors.MAX_ARRAY_LENGTH + " bytes");
    }
    if (offsets[1] < offsets[0] || offsets[1] - offsets[0] != expectedBytes) {
      throw new BadInputException(where + ": data_offsets " + offsets[0] + ".." + offsets[1] + " should span "
          + expectedBytes + " bytes for " + dtype.asText() + " shape "
          + node.path("shape") + " (corrupt header?)");
    }
    return new Entry(name, type, shape, offsets[0], offsets[1]);
  }

  /** A JSON array of non-negative integers, of {@code length} entries unless it is -1. */
  private static long[] naturals(String where, JsonNode node, String field, int length) {
    if (!node.isArray() || (length >= 0 && node.size() != length)) {
      throw new BadInputException(where + ": expected " + field + " to be an array of "
          + (length >= 0 ? length + " " : "") + "non-negative integers, found " + node);
    }
    long[] values = new long[node.size()];
    for (int i = 0; i < values.length; i++) {
      JsonNode value = node.get(i);
      if (!value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 0) {
        throw new BadInputException(where + ": expected " + field + " to be an array of non-negative integers, "
            + "found " + node);
      }
      values[i] = value.asLong();
    }
    return values;
  }

  /** Sorts the entries by offset and checks that they cover bytes 0 to {@code dataBytes} without gap or overlap. */
  private static void checkTiling(Path file, List<Entry> entries, long dataBytes) {
    entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long expectedBegin = 0;
    for (Entry entry : entries) {
      if (entry.begin() != expectedBegin) {
        throw new BadInputException(file + ", tensor '" + entry.name() + "': data starts at byte " + entry.begin()
            + ", expected " + expectedBegin + " (where the previous tensor ends; corrupt header?)");
      }
      expectedBegin = entry.end();
    }
    if (expectedBegin != dataBytes) {
      throw new BadInputException(file + ": the header describes " + expectedBegin + " bytes of tensor data but "
          + "the file holds " + dataBytes + (expectedBegin > dataBytes ? " (truncated file?)" : " (corrupt file?)"));
    }
  }
}
