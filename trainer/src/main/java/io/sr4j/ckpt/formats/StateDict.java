package io.sr4j.ckpt.formats;

import io.sr4j.data.BadInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Tensors by key, in the order the file stored them (PyTorch {@code state_dict()} order, MAT variable order,
 * Keras layer order, safetensors data order). Every tensor's {@link Tensor#name()} is its key.
 *
 * <p>{@link #source()} names where the tensors came from (the file, and the key inside it for nested
 * checkpoints); every error message starts with it.
 */
public final class StateDict {
  private static final int CLOSE_KEYS_SHOWN = 5;

  private final String source;
  private final Map<String, Tensor> tensors;

  /** Copies {@code tensors} in iteration order, naming each tensor by its key. */
  public StateDict(String source, Map<String, Tensor> tensors) {
    this.source = source;
    LinkedHashMap<String, Tensor> copy = new LinkedHashMap<>();
    tensors.forEach((key, tensor) -> copy.put(key, key.equals(tensor.name()) ? tensor : tensor.withName(key)));
    this.tensors = Collections.unmodifiableMap(copy);
  }

  /** Where the tensors came from, for messages: a file, possibly followed by the key inside it. */
  public String source() {
    return source;
  }

  /** The keys in file order. */
  public Set<String> keys() {
    return tensors.keySet();
  }

  /** Number of tensors. */
  public int size() {
    return tensors.size();
  }

  /** The tensors by key, in file order (unmodifiable). */
  public Map<String, Tensor> asMap() {
    return tensors;
  }

  public boolean contains(String key) {
    return tensors.containsKey(key);
  }

  /** The tensor stored under {@code key}, if any. */
  public Optional<Tensor> find(String key) {
    return Optional.ofNullable(tensors.get(key));
  }

  /**
   * The tensor stored under {@code key}.
   *
   * @throws BadInputException naming the source and the key and listing the closest existing keys
   */
  public Tensor get(String key) {
    Tensor tensor = tensors.get(key);
    if (tensor == null) {
      throw new BadInputException(source + " has no tensor '" + key + "' (it holds " + tensors.size()
          + " tensors); closest keys: " + quoted(closestKeys(key)));
    }
    return tensor;
  }

  /**
   * The same tensors with {@code prefix} removed from every key that starts with it (for example
   * {@code "module."}, which {@code nn.DataParallel} adds); other keys stay as they are.
   *
   * @throws BadInputException if two keys become equal
   */
  public StateDict stripPrefix(String prefix) {
    LinkedHashMap<String, Tensor> stripped = new LinkedHashMap<>();
    tensors.forEach((key, tensor) -> {
      String newKey = key.startsWith(prefix) ? key.substring(prefix.length()) : key;
      if (stripped.put(newKey, tensor) != null) {
        throw new BadInputException(source + ": removing prefix '" + prefix + "' would give two tensors the key '"
            + newKey + "'");
      }
    });
    return new StateDict(source + " with prefix '" + prefix + "' removed", stripped);
  }

  /**
   * Only the tensors whose key starts with {@code prefix}, with the prefix removed: picks one sub-module
   * (for example {@code "generator."}) out of a larger state dict.
   *
   * @throws BadInputException if no key starts with {@code prefix}, listing the first key segments present
   */
  public StateDict select(String prefix) {
    LinkedHashMap<String, Tensor> selected = new LinkedHashMap<>();
    tensors.forEach((key, tensor) -> {
      if (key.startsWith(prefix)) {
        selected.put(key.substring(prefix.length()), tensor);
      }
    });
    if (selected.isEmpty()) {
      Set<String> firstSegments = new LinkedHashSet<>();
      for (String key : tensors.keySet()) {
        int dot = key.indexOf('.');
        firstSegments.add(dot < 0 ? key : key.substring(0, dot + 1));
      }
      throw new BadInputException(source + " has no key starting with '" + prefix + "'; its keys start with: "
          + quoted(List.copyOf(firstSegments)));
    }
    return new StateDict(source + " under '" + prefix + "'", selected);
  }

  @Override
  public String toString() {
    return "StateDict(" + source + ", " + tensors.size() + " tensors)";
  }

  private List<String> closestKeys(String key) {
    return io.sr4j.data.Suggestions.closest(key, tensors.keySet(), CLOSE_KEYS_SHOWN);
  }

  private static String quoted(List<String> keys) {
    return keys.isEmpty() ? "(none)" : keys.stream().map(k -> "'" + k + "'").collect(Collectors.joining(", "));
  }
}
