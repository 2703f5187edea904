package io.sr4j.ckpt.formats;

import io.sr4j.data.BadInputException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a {@code torch.save} file holds, as read by {@link TorchCheckpointReader}.
 *
 * <p>{@link #root()} is the saved object with Python values mapped to Java: dict and OrderedDict to an
 * insertion-ordered unmodifiable {@code Map<Object, Object>}, list and tuple to an unmodifiable
 * {@code List<Object>}, tensor and {@code nn.Parameter} to {@link Tensor} (unnamed), str to {@link String},
 * int to {@link Long} (or {@link BigInteger} beyond 64 bits), float to {@link Double}, bool to
 * {@link Boolean}, bytes to {@code byte[]}, None to null.
 *
 * <p>Weight releases come in a few shapes: the bare state dict (ESRGAN's {@code RRDB_ESRGAN_x4.pth},
 * torchvision), or a dict around it ({@code {"params": ...}} or {@code {"params_ema": ...}} from BasicSR,
 * {@code {"state_dict": ...}}, {@code {"model": ...}}). {@link #stateDict()} takes the first,
 * {@link #stateDict(String)} picks a top-level key of the second.
 */
public final class TorchCheckpoint {
  private final Path file;
  private final Object root;

  TorchCheckpoint(Path file, Object root) {
    this.file = file;
    this.root = root;
  }

  /** The file this was read from. */
  public Path file() {
    return file;
  }

  /** The saved object (see the class description for the Java types). */
  public Object root() {
    return root;
  }

  /** The top-level keys when the saved object is a dict with string keys, else an empty list. */
  public List<String> topLevelKeys() {
    if (!(root instanceof Map<?, ?> map)) {
      return List.of();
    }
    return map.keySet().stream().filter(String.class::isInstance).map(String.class::cast).toList();
  }

  /**
   * The saved object as a state dict: it must be a dict from strings to tensors.
   *
   * @throws BadInputException if it is not, listing the top-level keys and what each holds
   */
  public StateDict stateDict() {
    StateDict dict = asStateDict(root, file.toString());
    if (dict == null) {
      throw new BadInputException(file + " does not hold a flat state dict (string keys to tensors) but "
          + describe(root) + contents() + "; choose the key that holds the weights");
    }
    return dict;
  }

  /**
   * The state dict saved under top-level {@code key}, such as {@code "params_ema"} or {@code "params"} in a
   * BasicSR file.
   *
   * @throws BadInputException if there is no such key or it holds something else than a dict of tensors,
   *     listing the top-level keys and what each holds
   */
  public StateDict stateDict(String key) {
    if (!(root instanceof Map<?, ?> map) || !map.containsKey(key)) {
      throw new BadInputException(file + " has no top-level key '" + key + "'; it holds " + describe(root)
          + contents());
    }
    String source = file + " (key '" + key + "')";
    StateDict dict = asStateDict(map.get(key), source);
    if (dict == null) {
      throw new BadInputException(source + " holds " + describe(map.get(key))
          + ", expected a dict of tensors; the file holds " + describe(root) + contents());
    }
    return dict;
  }

  private String contents() {
    if (!(root instanceof Map<?, ?> map) || map.isEmpty()) {
      return "";
    }
    return " with keys: " + map.entrySet().stream()
        .map(e -> "'" + e.getKey() + "' (" + describe(e.getValue()) + ")")
        .collect(Collectors.joining(", "));
  }

  /** The value as a state dict, or null unless it is a dict from strings to tensors. */
  private static StateDict asStateDict(Object value, String source) {
    if (!(value instanceof Map<?, ?> map)) {
      return null;
    }
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!(entry.getKey() instanceof String key) || !(entry.getValue() instanceof Tensor tensor)) {
        return null;
      }
      tensors.put(key, tensor);
    }
    return new StateDict(source, tensors);
  }

  /** A short description of a value of {@link #root()} for messages. */
  private static String describe(Object value) {
    if (value instanceof Map<?, ?> map) {
      boolean allTensors = map.values().stream().allMatch(Tensor.class::isInstance);
      return allTensors && !map.isEmpty() ? "a dict of " + map.size() + " tensors"
          : "a dict of " + map.size() + " entries";
    } else if (value instanceof List<?> list) {
      return "a list of " + list.size() + " items";
    } else if (value instanceof Tensor tensor) {
      return "a " + tensor.dtype() + " tensor of shape " + Arrays.toString(tensor.shape());
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
    }
    return value == null ? "None" : value.getClass().getSimpleName();
  }
}
