package io.sr4j.ckpt.formats;

import io.sr4j.data.BadInputException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pickle virtual machine that understands exactly what {@code torch.save} writes for tensors in dicts,
 * lists and tuples, and nothing else. It never runs code: callables are not looked up but matched against a
 * fixed list, and the first global outside that list stops parsing with a {@link BadInputException} that
 * names it.
 *
 * <p>Opcodes (protocols 2 to 5 as PyTorch writes them): PROTO, FRAME, STOP, MARK, POP, POP_MARK, DUP, NONE,
 * NEWTRUE, NEWFALSE, BININT, BININT1, BININT2, LONG1, LONG4, BINFLOAT, BINUNICODE, SHORT_BINUNICODE,
 * BINUNICODE8, BINSTRING, SHORT_BINSTRING (Python 2 str, read as UTF-8 like {@code torch.load}), BINBYTES,
 * SHORT_BINBYTES, BINBYTES8, EMPTY_TUPLE, TUPLE, TUPLE1, TUPLE2, TUPLE3, EMPTY_LIST, APPEND, APPENDS, LIST,
 * EMPTY_DICT, SETITEM, SETITEMS, DICT, BINPUT, LONG_BINPUT, MEMOIZE, BINGET, LONG_BINGET, GLOBAL,
 * STACK_GLOBAL, REDUCE, BUILD, BINPERSID. Any other opcode (INST, OBJ, NEWOBJ, EXT*, sets, text-protocol
 * opcodes, out-of-band buffers) is an error.
 *
 * <p>Globals: {@code collections.OrderedDict} (called with no arguments), {@code torch._utils._rebuild_tensor},
 * {@code _rebuild_tensor_v2}, {@code _rebuild_parameter}, {@code _rebuild_parameter_with_state}, and the storage
 * classes {@code torch.DoubleStorage, FloatStorage, HalfStorage, BFloat16Storage, LongStorage, IntStorage,
 * ShortStorage, CharStorage, ByteStorage, BoolStorage}, which may only appear inside a persistent id.
 * BUILD is accepted only on a dict (it carries {@code state_dict()}'s {@code _metadata}, which is dropped).
 *
 * <p>Tensors come out as {@link TensorRef}s, because in the legacy format the storage bytes follow the pickle;
 * containers come out as {@link ArrayList} (list), {@link Tuple} and {@link LinkedHashMap} (dict).
 */
final class TorchUnpickler {

  /** A Python tuple on the VM stack. */
  record Tuple(List<Object> items) {}

  /** An allowed global, {@code module.name}. */
  record Global(String dotted) {}

  /**
   * A storage from a persistent id: {@code length} elements of {@code type} starting {@code offset} elements
   * into the storage saved under {@code key}, which holds {@code keyNumel} elements.
   */
  record StorageRef(ElementType type, String key, long keyNumel, long offset, long length) {}

  /** A tensor over a storage: {@code torch._utils._rebuild_tensor(storage, offset, size, stride)}. */
  record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}

  private static final Map<String, ElementType> STORAGE_TYPES = Map.of(
      "torch.DoubleStorage", ElementType.FLOAT64,
      "torch.FloatStorage", ElementType.FLOAT32,
      "torch.HalfStorage", ElementType.FLOAT16,
      "torch.BFloat16Storage", ElementType.BFLOAT16,
      "torch.LongStorage", ElementType.INT64,
      "torch.IntStorage", ElementType.INT32,
      "torch.ShortStorage", ElementType.INT16,
      "torch.CharStorage", ElementType.INT8,
      "torch.ByteStorage", ElementType.UINT8,
      "torch.BoolStorage", ElementType.BOOL);

  private static final String ORDERED_DICT = "collections.OrderedDict";
  private static final String REBUILD_TENSOR = "torch._utils._rebuild_tensor";
  private static final String REBUILD_TENSOR_V2 = "torch._utils._rebuild_tensor_v2";
  private static final String REBUILD_PARAMETER = "torch._utils._rebuild_parameter";
  private static final String REBUILD_PARAMETER_WITH_STATE = "torch._utils._rebuild_parameter_with_state";
  private static final List<String> FUNCTIONS =
      List.of(ORDERED_DICT, REBUILD_TENSOR, REBUILD_TENSOR_V2, REBUILD_PARAMETER, REBUILD_PARAMETER_WITH_STATE);

  /**
   * Values one unpickler may create: every opcode can allocate an object, so a pickle of a few hundred megabytes
   * could otherwise fill gigabytes of heap. A state dict needs about 15 per tensor.
   */
  static final long MAX_VALUES = 1L << 22;

  private final String file;
  private final String region;
  private final ByteBuffer in;
  private final Map<String, StorageRef> storagesByKey = new LinkedHashMap<>();

  private List<Object> stack;
  private Deque<Integer> marks;
  private Map<Long, Object> memo;
  private int opcodeAt;
  private long pushes;

  /**
   * @param file the file, for messages
   * @param region which part of the file {@code in} is (a zip entry, or "legacy pickle"), for messages
   * @param in the pickle bytes from its position on; {@link #load()} advances the position past each pickle
   */
  TorchUnpickler(String file, String region, ByteBuffer in) {
    this.file = file;
    this.region = region;
    this.in = in;
  }

  /** Every storage a persistent id referred to so far, by key, in first-seen order. */
  Map<String, StorageRef> storages() {
    return Collections.unmodifiableMap(storagesByKey);
  }

  /** Runs one pickle, from the current position to its STOP, and returns its value. */
  Object load() {
    stack = new ArrayList<>();
    marks = new ArrayDeque<>();
    memo = new HashMap<>();
    while (true) {
      opcodeAt = in.position();
      int op = u8();
      switch (op) {
        case 0x80 -> { // PROTO
          int protocol = u8();
          if (protocol > 5) {
            throw fail("expected pickle protocol 2 to 5, found " + protocol);
          }
        }
        case 0x95 -> bytes(8); // FRAME: a length hint only
        case '.' -> { // STOP
          Object result = pop();
          if (!stack.isEmpty() || !marks.isEmpty()) {
            throw fail("expected an empty stack at STOP");
          }
          return result;
        }
        case '(' -> marks.push(stack.size()); // MARK
        case '0' -> pop(); // POP
        case '1' -> popMark(); // POP_MARK
        case '2' -> push(peek()); // DUP
        case 'N' -> push(null); // NONE
        case 0x88 -> push(Boolean.TRUE); // NEWTRUE
        case 0x89 -> push(Boolean.FALSE); // NEWFALSE
        case 'J' -> push((long) littleEndian(4).getInt()); // BININT
        case 'K' -> push((long) u8()); // BININT1
        case 'M' -> push((long) (littleEndian(2).getShort() & 0xffff)); // BININT2
        case 0x8a -> push(decodeLong(length(u8()))); // LONG1
        case 0x8b -> push(decodeLong(length(littleEndian(4).getInt()))); // LONG4
        case 'G' -> push(ByteBuffer.wrap(bytes(8)).order(ByteOrder.BIG_ENDIAN).getDouble()); // BINFLOAT
        case 'X', 'T' -> push(utf8(length(littleEndian(4).getInt() & 0xffffffffL))); // BINUNICODE, BINSTRING
        case 0x8c, 'U' -> push(utf8(u8())); // SHORT_BINUNICODE, SHORT_BINSTRING
        case 0x8d -> push(utf8(length(littleEndian(8).getLong()))); // BINUNICODE8
        case 'B' -> push(bytes(length(littleEndian(4).getInt() & 0xffffffffL))); // BINBYTES
        case 'C' -> push(bytes(u8())); // SHORT_BINBYTES
        case 0x8e -> push(bytes(length(littleEndian(8).getLong()))); // BINBYTES8
        case ')' -> push(new Tuple(List.of())); // EMPTY_TUPLE
        case 't' -> push(new Tuple(popMark())); // TUPLE
        case 0x85, 0x86, 0x87 -> push(new Tuple(popTop(op - 0x84))); // TUPLE1..3
        case ']' -> push(new ArrayList<>()); // EMPTY_LIST
        case 'l' -> push(new ArrayList<>(popMark())); // LIST
        case 'a' -> list(stack.size() - 2).add(pop()); // APPEND
        case 'e' -> { // APPENDS
          List<Object> items = popMark();
          list(stack.size() - 1).addAll(items);
        }
        case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
        case 'd' -> { // DICT
          Map<Object, Object> dict = new LinkedHashMap<>();
          putPairs(dict, popMark());
          push(dict);
        }
        case 's' -> { // SETITEM
          Object value = pop();
          Object key = pop();
          dict(stack.size() - 1).put(key, value);
        }
        case 'u' -> { // SETITEMS
          List<Object> pairs = popMark();
          putPairs(dict(stack.size() - 1), pairs);
        }
        case 'q' -> memo.put((long) u8(), peek()); // BINPUT
        case 'r' -> memo.put(littleEndian(4).getInt() & 0xffffffffL, peek()); // LONG_BINPUT
        case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
        case 'h' -> push(memoGet(u8())); // BINGET
        case 'j' -> push(memoGet(littleEndian(4).getInt() & 0xffffffffL)); // LONG_BINGET
        case 'c' -> push(global(line(), line())); // GLOBAL
        case 0x93 -> { // STACK_GLOBAL
          Object name = pop();
          Object module = pop();
          if (!(module instanceof String m) || !(name instanceof String n)) {
            throw fail("expected two strings (module, name) for STACK_GLOBAL, found " + kind(module) + " and "
                + kind(name));
          }
          push(global(m, n));
        }
        case 'R' -> { // REDUCE
          Object args = pop();
          push(call(pop(), args));
        }
        case 'b' -> build(); // BUILD
        case 'Q' -> push(persistentLoad(pop())); // BINPERSID
        default -> throw fail(String.format(
            "expected one of the pickle opcodes torch.save writes, found 0x%02x%s", op,
            op >= 0x20 && op < 0x7f ? " ('" + (char) op + "')" : ""));
      }
    }
  }

  private Global global(String module, String name) {
    String dotted = module + "." + name;
    if (FUNCTIONS.contains(dotted) || STORAGE_TYPES.containsKey(dotted)) {
      return new Global(dotted);
    }
    String why = dotted.startsWith("torch.") || dotted.startsWith("__torch__.")
        ? ", which this reader does not support: it reads tensors in dicts, lists and tuples "
            + "(save model.state_dict() rather than the model)"
        : ", which a weights file never needs";
    throw new BadInputException("refusing to load " + file + ": it references " + dotted + why);
  }

  private Object call(Object callable, Object argsObject) {
    if (!(callable instanceof Global global) || !FUNCTIONS.contains(global.dotted())) {
      throw fail("expected REDUCE to call one of " + FUNCTIONS + ", found " + kind(callable));
    }
    if (!(argsObject instanceof Tuple tuple)) {
      throw fail("expected an argument tuple for " + global.dotted() + ", found " + kind(argsObject));
    }
    List<Object> args = tuple.items();
    return switch (global.dotted()) {
      case ORDERED_DICT -> {
        expectArgs(global, args, 0, 0);
        yield new LinkedHashMap<>();
      }
      case REBUILD_TENSOR -> {
        expectArgs(global, args, 4, 4);
        yield tensor(args);
      }
      // (storage, offset, size, stride, requires_grad, backward_hooks[, metadata])
      case REBUILD_TENSOR_V2 -> {
        expectArgs(global, args, 6, 7);
        yield tensor(args);
      }
      // (data, requires_grad, backward_hooks[, state]): an nn.Parameter is its tensor here.
      case REBUILD_PARAMETER, REBUILD_PARAMETER_WITH_STATE -> {
        expectArgs(global, args, 3, 4);
        if (!(args.get(0) instanceof TensorRef data)) {
          throw fail("expected a tensor as first argument of " + global.dotted() + ", found " + kind(args.get(0)));
        }
        yield data;
      }
      default -> throw new IllegalStateException(global.dotted());
    };
  }

  private TensorRef tensor(List<Object> args) {
    if (!(args.get(0) instanceof StorageRef storage)) {
      throw fail("expected a storage as first argument of a tensor, found " + kind(args.get(0)));
    }
    long[] size = longs(args.get(2), "size");
    long[] stride = longs(args.get(3), "stride");
    if (size.length != stride.length) {
      throw fail("expected as many strides as sizes, found " + size.length + " sizes and " + stride.length
          + " strides");
    }
    return new TensorRef(storage, toLong(args.get(1), "storage offset"), size, stride);
  }

  /** {@code ('storage', storage_type, key, location, numel[, view_metadata])}, as torch.save writes it. */
  private StorageRef persistentLoad(Object pidObject) {
    if (!(pidObject instanceof Tuple pid) || pid.items().isEmpty() || !"storage".equals(pid.items().get(0))) {
      throw fail("expected a persistent id ('storage', ...), found " + describePid(pidObject));
    }
    List<Object> items = pid.items();
    if (items.size() != 5 && items.size() != 6) {
      throw fail("expected a storage persistent id of 5 (zip format) or 6 (legacy format) entries, found "
          + items.size());
    }
    if (!(items.get(1) instanceof Global type) || !STORAGE_TYPES.containsKey(type.dotted())) {
      throw fail("expected a storage class in the persistent id, found " + kind(items.get(1)));
    }
    if (!(items.get(2) instanceof String key)) {
      throw fail("expected a string storage key in the persistent id, found " + kind(items.get(2)));
    }
    ElementType elementType = STORAGE_TYPES.get(type.dotted());
    long numel = toLong(items.get(4), "storage size");
    if (numel < 0 || numel > RawTensors.MAX_ARRAY_LENGTH / elementType.bytes()) {
      throw fail("storage '" + key + "' has " + numel + " elements; expected 0 to " + RawTensors.MAX_ARRAY_LENGTH
          + " bytes per storage");
    }
    StorageRef root = new StorageRef(elementType, key, numel, 0, numel);
    StorageRef known = storagesByKey.putIfAbsent(key, root);
    if (known != null && (known.type() != elementType || known.keyNumel() != numel)) {
      throw fail("storage '" + key + "' appears as " + numel + " " + elementType.label() + " elements and as "
          + known.keyNumel() + " " + known.type().label() + " elements");
    }
    Object view = items.size() == 6 ? items.get(5) : null;
    if (view == null) {
      return root;
    }
    // Legacy storage views: (view_key, offset, view_size), in elements of the root storage.
    if (!(view instanceof Tuple viewTuple) || viewTuple.items().size() != 3) {
      throw fail("expected storage view metadata (key, offset, size), found " + kind(view));
    }
    long offset = toLong(viewTuple.items().get(1), "storage view offset");
    long length = toLong(viewTuple.items().get(2), "storage view size");
    if (offset < 0 || length < 0 || offset > numel - length) {
      throw fail("storage view at offset " + offset + " of " + length + " elements does not fit storage '" + key
          + "' of " + numel + " elements");
    }
    return new StorageRef(elementType, key, numel, offset, length);
  }

  private void build() {
    Object state = pop();
    Object target = peek();
    if (!(target instanceof Map) || !(state == null || state instanceof Map)) {
      throw fail("expected BUILD to set a dict's attributes (state_dict()._metadata), found " + kind(state)
          + " applied to " + kind(target));
    }
  }

  private void expectArgs(Global global, List<Object> args, int min, int max) {
    if (args.size() < min || args.size() > max) {
      throw fail("expected " + (min == max ? min : min + " to " + max) + " arguments for " + global.dotted()
          + ", found " + args.size());
    }
  }

  private long[] longs(Object value, String what) {
    if (!(value instanceof Tuple tuple)) {
      throw fail("expected a tuple of ints as tensor " + what + ", found " + kind(value));
    }
    long[] result = new long[tuple.items().size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = toLong(tuple.items().get(i), "tensor " + what);
    }
    return result;
  }

  private long toLong(Object value, String what) {
    if (!(value instanceof Long number)) {
      throw fail("expected an int (64 bits) as " + what + ", found " + kind(value));
    }
    return number;
  }

  private void putPairs(Map<Object, Object> dict, List<Object> pairs) {
    if (pairs.size() % 2 != 0) {
      throw fail("expected key/value pairs, found an odd number of items (" + pairs.size() + ")");
    }
    for (int i = 0; i < pairs.size(); i += 2) {
      dict.put(pairs.get(i), pairs.get(i + 1));
    }
  }

  @SuppressWarnings("unchecked")
  private List<Object> list(int index) {
    Object target = index >= floor() && index < stack.size() ? stack.get(index) : null;
    if (!(target instanceof ArrayList)) {
      throw fail("expected a list to append to, found " + kind(target));
    }
    return (List<Object>) target;
  }

  @SuppressWarnings("unchecked")
  private Map<Object, Object> dict(int index) {
    Object target = index >= floor() && index < stack.size() ? stack.get(index) : null;
    if (!(target instanceof Map)) {
      throw fail("expected a dict to set items in, found " + kind(target));
    }
    return (Map<Object, Object>) target;
  }

  private Object memoGet(long index) {
    if (!memo.containsKey(index)) {
      throw fail("memo entry " + index + " is read before it is written");
    }
    return memo.get(index);
  }

  private void push(Object value) {
    if (++pushes > MAX_VALUES) {
      throw fail("more than " + MAX_VALUES + " values; a weights file needs far fewer (crafted file?)");
    }
    stack.add(value);
  }

  private Object pop() {
    Object top = peek();
    stack.remove(stack.size() - 1);
    return top;
  }

  private Object peek() {
    if (stack.size() <= floor()) {
      throw fail("pickle stack underflow");
    }
    return stack.get(stack.size() - 1);
  }

  /** Stack size at the innermost MARK: the opcodes after a MARK see only what was pushed after it. */
  private int floor() {
    return marks.isEmpty() ? 0 : marks.peek();
  }

  private List<Object> popTop(int count) {
    if (stack.size() - count < floor()) {
      throw fail("pickle stack underflow");
    }
    List<Object> top = new ArrayList<>(stack.subList(stack.size() - count, stack.size()));
    stack.subList(stack.size() - count, stack.size()).clear();
    return top;
  }

  private List<Object> popMark() {
    if (marks.isEmpty()) {
      throw fail("expected a MARK before this opcode");
    }
    return popTop(stack.size() - marks.pop());
  }

  private int u8() {
    need(1);
    return in.get() & 0xff;
  }

  private ByteBuffer littleEndian(int count) {
    return ByteBuffer.wrap(bytes(count)).order(ByteOrder.LITTLE_ENDIAN);
  }

  private byte[] bytes(int count) {
    need(count);
    byte[] result = new byte[count];
    in.get(result);
    return result;
  }

  /** A length field, checked against the bytes left so that a corrupt length fails before allocating. */
  private int length(long value) {
    if (value < 0) {
      throw fail("expected a non-negative length, found " + value);
    }
    if (value > in.remaining()) {
      throw truncated();
    }
    return (int) value;
  }

  private String utf8(int count) {
    return new String(bytes(count), StandardCharsets.UTF_8);
  }

  /** A newline-terminated ASCII line (the arguments of GLOBAL). */
  private String line() {
    StringBuilder text = new StringBuilder();
    for (int c = u8(); c != '\n'; c = u8()) {
      if (text.length() > 1000) {
        throw fail("expected a newline-terminated module or class name, found over 1000 bytes");
      }
      text.append((char) c);
    }
    return text.toString();
  }

  /** Two's-complement little-endian integer of {@code count} bytes, as Long when it fits. */
  private Object decodeLong(int count) {
    byte[] little = bytes(count);
    if (count == 0) {
      return 0L;
    }
    byte[] big = new byte[count];
    for (int i = 0; i < count; i++) {
      big[i] = little[count - 1 - i];
    }
    BigInteger value = new BigInteger(big);
    return value.bitLength() < 64 ? (Object) value.longValue() : value;
  }

  private void need(int count) {
    if (in.remaining() < count) {
      throw truncated();
    }
  }

  private BadInputException truncated() {
    return new BadInputException(file + " ends unexpectedly in the " + region + " (byte " + in.limit()
        + "), inside the pickle opcode at byte " + opcodeAt + "; expected more data (truncated file?)");
  }

  private BadInputException fail(String message) {
    return new BadInputException(file + ": " + message + " (" + region + ", opcode at byte " + opcodeAt + ")");
  }

  private String describePid(Object pid) {
    return pid instanceof Tuple tuple && !tuple.items().isEmpty() ? "a tuple starting with "
        + kind(tuple.items().get(0)) + (tuple.items().get(0) instanceof String s ? " '" + s + "'" : "")
        : kind(pid);
  }

  /** A short description of a VM value for messages. */
  static String kind(Object value) {
    if (value == null) {
      return "None";
    } else if (value instanceof Global global) {
      return global.dotted();
    } else if (value instanceof String) {
      return "a str";
    } else if (value instanceof Long || value instanceof BigInteger) {
      return "an int";
    } else if (value instanceof Double) {
      return "a float";
    } else if (value instanceof Boolean) {
      return "a bool";
    } else if (value instanceof byte[]) {
      return "bytes";
    } else if (value instanceof Tuple) {
      return "a tuple";
    } else if (value instanceof List) {
      return "a list";
    } else if (value instanceof Map) {
      return "a dict";
    } else if (value instanceof StorageRef) {
      return "a storage";
    } else if (value instanceof TensorRef) {
      return "a tensor";
    }
    return value.getClass().getSimpleName();
  }
}
