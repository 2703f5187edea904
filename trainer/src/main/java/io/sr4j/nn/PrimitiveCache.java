package io.sr4j.nn;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * oneDNN primitives (or groups of them) by key, created on first use and kept until more than the maximum number of
 * keys are held; then the least recently used go. Thread-safe; creating a value holds the cache's lock.
 */
final class PrimitiveCache<K, V> {
  private final LinkedHashMap<K, V> entries = new LinkedHashMap<>(64, 0.75f, true);
  private final IntSupplier maxEntries;
  private final Function<K, V> create;

  /** {@code maxEntries} is read on every insertion (at least 1 entry is kept). */
  PrimitiveCache(IntSupplier maxEntries, Function<K, V> create) {
    this.maxEntries = maxEntries;
    this.create = create;
  }

  /** The value of {@code key}, created if absent. */
  synchronized V get(K key) {
    V value = entries.get(key);
    if (value == null) {
      value = create.apply(key);
      entries.put(key, value);
      Iterator<K> eldest = entries.keySet().iterator();
      while (entries.size() > Math.max(1, maxEntries.getAsInt())) {
        eldest.next();
        eldest.remove();
      }
    }
    return value;
  }

  /** Number of keys held. */
  synchronized int size() {
    return entries.size();
  }
}
