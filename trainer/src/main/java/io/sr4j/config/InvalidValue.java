package io.sr4j.config;

/**
 * Thrown by config records when a value is out of range; {@link ConfigLoader} prefixes the key path of the record
 * it happened in.
 */
public final class InvalidValue extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public InvalidValue(String key, Object value, String expected) {
    super(key + ": " + value + " is not allowed, expected " + expected);
    this.key = key;
  }

  public String key() {
    return key;
  }

  /** The problem without the key: "x is not allowed, expected ...". */
  public String problem() {
    return getMessage().substring(key.length() + 2);
  }
}
