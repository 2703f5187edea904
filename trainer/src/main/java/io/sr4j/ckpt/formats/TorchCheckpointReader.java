package io.sr4j.ckpt.formats;

import io.sr4j.ckpt.formats.TorchUnpickler.Global;
import io.sr4j.ckpt.formats.TorchUnpickler.StorageRef;
import io.sr4j.ckpt.formats.TorchUnpickler.TensorRef;
import io.sr4j.ckpt.formats.TorchUnpickler.Tuple;
import io.sr4j.data.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads PyTorch {@code .pth}/{@code .pt} files written by {@code torch.save}, without running any of their
 * code (see {@link TorchUnpickler} for the opcodes and globals accepted).
 *
 * <p>Two layouts are read:
 * <ul>
 *   <li>the zip format (PyTorch 1.6 and later): {@code <name>/data.pkl} is the pickle, {@code <name>/data/<key>}
 *       the raw bytes of each storage, {@code <name>/byteorder} ({@code little} or {@code big}, little when
 *       absent) their byte order;</li>
 *   <li>the legacy format (PyTorch 0.1.10 to 1.5, or {@code _use_new_zipfile_serialization=False}; ESRGAN's
 *       {@code RRDB_ESRGAN_x4.pth}, torchvision's {@code vgg19-dcbb9e9d.pth}): five pickles in a row (magic
 *       number, protocol version 1001, system info, the object, the list of storage keys), then for each listed
 *       storage an int64 element count and the little-endian element bytes.</li>
 * </ul>
 * The older tar layout (PyTorch before 0.1.10) and TorchScript archives ({@code torch.jit.save}) are refused
 * with a message saying so.
 */
public final class TorchCheckpointReader {
  /** The first pickle of a legacy file. */
  private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
  private static final long LEGACY_PROTOCOL_VERSION = 1001;
  /** Containers nested deeper than this are refused (no weights file comes close). */
  private static final int MAX_NESTING = 100;

  private TorchCheckpointReader() {}

  /**
   * Reads a checkpoint.
   *
   * @throws BadInputException if the file is missing, corrupt, truncated, in an unsupported layout, or
   *     references anything besides tensors and plain containers (naming what it references)
   */
  public static TorchCheckpoint read(Path file) {
    byte[] head = readHead(file);
    if (startsWith(head, 0, "PK\u0003\u0004")) {
      return readZip(file);
    }
    if (startsWith(head, 257, "ustar")) {
      throw new BadInputException(file + " is a tar archive, the layout of PyTorch before 0.1.10; expected a "
          + "checkpoint from PyTorch 0.1.10 or later (load and re-save it with a recent PyTorch)");
    }
    if (head.length > 0 && (head[0] & 0xff) == 0x80) {
      return readLegacy(file);
    }
    throw new BadInputException(file + " is not a PyTorch checkpoint: expected a zip archive (torch.save, "
        + "PyTorch 1.6 and later) or a pickle starting with byte 0x80 (legacy torch.save)");
  }

  private static TorchCheckpoint readZip(Path file) {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      String prefix = archivePrefix(file, zip);
      ZipEntry pickleEntry = zip.getEntry(prefix + "data.pkl");
      ByteOrder order = byteOrder(file, zip, prefix);
      ByteBuffer pickle = ByteBuffer.wrap(entryBytes(file, zip, pickleEntry));
      Object pickled = new TorchUnpickler(file.toString(), "entry " + pickleEntry.getName(), pickle).load();
      Map<String, ByteBuffer> loaded = new HashMap<>();
      Function<StorageRef, ByteBuffer> storages =
          ref -> loaded.computeIfAbsent(ref.key(), key -> zipStorage(file, zip, prefix + "data/" + key, ref, order));
      return new TorchCheckpoint(file, new Materializer(file, storages).value(pickled, "", 0));
    } catch (IOException e) {
      throw new BadInputException(
          file + " is not a readable zip archive (truncated or corrupt?): " + e.getMessage(), e);
    }
  }

  /** The raw bytes of one storage, {@code <name>/data/<key>}, with their byte order set. */
  private static ByteBuffer zipStorage(Path file, ZipFile zip, String name, StorageRef ref, ByteOrder order) {
    ZipEntry entry = zip.getEntry(name);
    if (entry == null) {
      throw new BadInputException(file + " has no entry " + name + ", which its data.pkl refers to (corrupt file?)");
    }
    long expected = ref.keyNumel() * ref.type().bytes();
    ModelLimits.checkAllocation(file + ": storage '" + ref.key() + "'", expected,
        "declares " + ref.keyNumel() + " " + ref.type().label() + " elements");
    if (entry.getSize() != expected) {
      throw new BadInputException(file + ": entry " + name + " should hold " + ref.keyNumel() + " "
          + ref.type().label() + " elements (" + expected + " bytes), found " + entry.getSize()
          + " bytes (corrupt file?)");
    }
    return ByteBuffer.wrap(entryBytes(file, zip, entry)).order(order);
  }

  /** The {@code <name>/} folder holding {@code data.pkl}; torch.save writes exactly one. */
  private static String archivePrefix(Path file, ZipFile zip) {
    List<String> prefixes = new ArrayList<>();
    boolean torchScript = false;
    for (ZipEntry entry : Collections.list(zip.entries())) {
      String name = entry.getName();
      int slash = name.indexOf('/');
      String rest = slash < 0 ? name : name.substring(slash + 1);
      if (rest.equals("data.pkl")) {
        prefixes.add(name.substring(0, slash + 1));
      }
      torchScript |= rest.equals("constants.pkl") || rest.startsWith("code/");
    }
    if (torchScript) {
      throw new BadInputException(file + " is a TorchScript archive (torch.jit.save); expected a torch.save "
          + "checkpoint: save model.state_dict() with torch.save");
    }
    if (prefixes.size() != 1) {
      throw new BadInputException(file + " is a zip archive but not a torch.save checkpoint: expected one "
          + "<name>/data.pkl entry, found " + prefixes.size());
    }
    return prefixes.get(0);
  }

  private static ByteOrder byteOrder(Path file, ZipFile zip, String prefix) {
    ZipEntry entry = zip.getEntry(prefix + "byteorder");
    if (entry == null) {
      return ByteOrder.LITTLE_ENDIAN;
    }
    String order = new String(entryBytes(file, zip, entry), StandardCharsets.US_ASCII).trim();
    return switch (order) {
      case "little" -> ByteOrder.LITTLE_ENDIAN;
      case "big" -> ByteOrder.BIG_ENDIAN;
      default -> throw new BadInputException(file + ": entry " + entry.getName()
          + " should say 'little' or 'big', found '" + order + "'");
    };
  }

  private static byte[] entryBytes(Path file, ZipFile zip, ZipEntry entry) {
    try {
      return ModelLimits.readEntry(file.toString(), zip, entry);
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot read zip entry " + entry.getName()
          + " (truncated or corrupt file?): " + e.getMessage(), e);
    }
  }

  private static TorchCheckpoint readLegacy(Path file) {
    ByteBuffer in = ByteBuffer.wrap(readAll(file));
    TorchUnpickler unpickler = new TorchUnpickler(file.toString(), "legacy pickle", in);
    Object magic = unpickler.load();
    if (!(magic instanceof BigInteger number) || !number.equals(LEGACY_MAGIC)) {
      throw new BadInputException(file + " is not a PyTorch checkpoint: a legacy torch.save file starts with "
          + "the magic number 0x" + LEGACY_MAGIC.toString(16));
    }
    Object protocol = unpickler.load();
    if (!Long.valueOf(LEGACY_PROTOCOL_VERSION).equals(protocol)) {
      throw new BadInputException(file + ": expected legacy serialization protocol " + LEGACY_PROTOCOL_VERSION
          + ", found " + protocol);
    }
    unpickler.load(); // system info: endianness and C type sizes of the writer; storages are little-endian
    Object pickled = unpickler.load();
    Object keyList = unpickler.load();
    Map<String, ByteBuffer> storages = new HashMap<>();
    for (String key : storageKeys(file, keyList)) {
      StorageRef root = unpickler.storages().get(key);
      if (root == null) {
        throw new BadInputException(file + " lists storage '" + key + "', which no tensor refers to (corrupt file?)");
      }
      if (in.remaining() < Long.BYTES) {
        throw legacyTruncated(file, key, in);
      }
      long numel = in.order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (numel != root.keyNumel()) {
        throw new BadInputException(file + ": storage '" + key + "' should hold " + root.keyNumel()
            + " elements, its header says " + numel + " (corrupt file?)");
      }
      int bytes = (int) numel * root.type().bytes();
      if (bytes > in.remaining()) {
        throw legacyTruncated(file, key, in);
      }
      storages.put(key, in.slice(in.position(), bytes).order(ByteOrder.LITTLE_ENDIAN));
      in.position(in.position() + bytes);
    }
    Function<StorageRef, ByteBuffer> lookup = ref -> {
      ByteBuffer data = storages.get(ref.key());
      if (data == null) {
        throw new BadInputException(file + ": storage '" + ref.key() + "' is used but not stored (corrupt file?)");
      }
      return data;
    };
    return new TorchCheckpoint(file, new Materializer(file, lookup).value(pickled, "", 0));
  }

  private static List<String> storageKeys(Path file, Object keyList) {
    if (!(keyList instanceof List<?> keys) || !keys.stream().allMatch(String.class::isInstance)) {
      throw new BadInputException(file + ": expected the list of storage keys after the legacy pickle, found "
          + TorchUnpickler.kind(keyList));
    }
    return keys.stream().map(String.class::cast).toList();
  }

  private static BadInputException legacyTruncated(Path file, String key, ByteBuffer in) {
    return new BadInputException(file + " ends (byte " + in.limit() + ") inside the data of storage '" + key
        + "'; expected more data (truncated file?)");
  }

  private static byte[] readHead(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(512);
    } catch (IOException e) {
      throw new BadInputException("cannot read PyTorch checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  private static byte[] readAll(Path file) {
    try {
      long size = Files.size(file);
      if (size > RawTensors.MAX_ARRAY_LENGTH) {
        throw new BadInputException(file + " is a legacy-format checkpoint of " + size + " bytes; this reader "
            + "handles legacy files up to 2 GiB (re-save it with a recent PyTorch to get the zip format)");
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new BadInputException("cannot read PyTorch checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  private static boolean startsWith(byte[] data, int at, String ascii) {
    byte[] expected = ascii.getBytes(StandardCharsets.ISO_8859_1);
    if (data.length < at + expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if (data[at + i] != expected[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Turns the unpickled object into the public form of {@link TorchCheckpoint#root()}: tensors read from their
   * storages, containers copied into unmodifiable ones. A value reached twice (pickle memo) is converted once.
   */
  private static final class Materializer {
    private final Path file;
    private final Function<StorageRef, ByteBuffer> storages;
    private static final long VIEWS_PER_ELEMENT = 4;
    private final Map<Object, Object> done = new IdentityHashMap<>();
    /** Elements of the distinct storages tensors were decoded from, and elements decoded so far. */
    private final Set<String> storagesSeen = new HashSet<>();
    private long storedElements;
    private long decodedElements;
    private final Set<Object> inProgress = Collections.newSetFromMap(new IdentityHashMap<>());

    Materializer(Path file, Function<StorageRef, ByteBuffer> storages) {
      this.file = file;
      this.storages = storages;
    }

    /** @param path the Python subscripts leading here, such as {@code ['params']['conv.weight']} */
    Object value(Object value, String path, int depth) {
      if (value == null || value instanceof String || value instanceof Long || value instanceof BigInteger
          || value instanceof Double || value instanceof Boolean || value instanceof byte[]) {
        return value;
      }
      if (done.containsKey(value)) {
        return done.get(value);
      }
      if (depth > MAX_NESTING || !inProgress.add(value)) {
        throw new BadInputException(file + ": containers nest deeper than " + MAX_NESTING
            + " levels or contain themselves at " + path + "; expected a weights file");
      }
      Object result;
      if (value instanceof TensorRef tensor) {
        result = tensor(tensor, path);
      } else if (value instanceof Map<?, ?> map) {
        Map<Object, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          Object key = value(entry.getKey(), path, depth + 1);
          copy.put(key, value(entry.getValue(), path + "[" + pythonKey(key) + "]", depth + 1));
        }
        result = Collections.unmodifiableMap(copy);
      } else if (value instanceof Tuple || value instanceof List) {
        List<?> items = value instanceof Tuple tuple ? tuple.items() : (List<?>) value;
        List<Object> copy = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
          copy.add(value(items.get(i), path + "[" + i + "]", depth + 1));
        }
        result = Collections.unmodifiableList(copy);
      } else {
        String what = value instanceof Global global ? global.dotted() : TorchUnpickler.kind(value);
        throw new BadInputException(file + " holds " + what + " at " + (path.isEmpty() ? "top level" : path)
            + "; expected tensors, numbers and strings in dicts, lists and tuples");
      }
      inProgress.remove(value);
      done.put(value, result);
      return result;
    }

    /**
     * Decodes one tensor. Views of a storage may overlap or repeat elements (stride 0), so a small file could
     * describe tensors far larger than what it stores: the elements decoded, over all tensors, may be at most
     * {@link #VIEWS_PER_ELEMENT} times the elements of the storages they come from (PyTorch saves a tensor and its
     * views, a transpose for example, over one storage).
     */
    private Tensor tensor(TensorRef ref, String path) {
      StorageRef storage = ref.storage();
      if (storagesSeen.add(storage.key())) {
        storedElements += storage.keyNumel();
      }
      long count = RawTensors.saturatedCount(ref.size());
      decodedElements = count > Long.MAX_VALUE - decodedElements ? Long.MAX_VALUE : decodedElements + count;
      if (decodedElements > VIEWS_PER_ELEMENT * storedElements) {
        throw new BadInputException(file + ", tensor " + (path.isEmpty() ? "at top level" : path) + ": views "
            + (count == Long.MAX_VALUE ? "more than 2^63" : count) + " elements of storage '" + storage.key()
            + "', so the tensors would hold more than " + VIEWS_PER_ELEMENT + " times the " + storedElements
            + " elements the file stores (overlapping or repeated views of a crafted file?)");
      }
      ByteBuffer whole = storages.apply(storage);
      int elementBytes = storage.type().bytes();
      // A legacy storage view covers part of the stored storage; the tensor may only reach inside the view.
      ByteBuffer view = whole.slice((int) (storage.offset() * elementBytes), (int) (storage.length() * elementBytes))
          .order(whole.order());
      String what = file + ", tensor " + (path.isEmpty() ? "at top level" : path);
      return RawTensors.decode(what, storage.type(), view, ref.offset(), ref.size(), ref.stride());
    }

    private static String pythonKey(Object key) {
      return key instanceof String s ? "'" + s + "'" : String.valueOf(key);
    }
  }
}
