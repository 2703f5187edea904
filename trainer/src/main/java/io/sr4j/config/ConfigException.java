package io.sr4j.config;

import io.sr4j.data.BadInputException;

/** A configuration that cannot be used: names the file, the key path, the bad value and what is allowed. */
public final class ConfigException extends BadInputException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
