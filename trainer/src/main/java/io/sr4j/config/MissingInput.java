package io.sr4j.config;

/**
 * A config names an input (a weights file, say) that does not exist: fatal for a run, listed by a dry run, which
 * validates a config for another machine as well.
 */
public final class MissingInput extends ConfigException {
  private static final long serialVersionUID = 1L;

  public MissingInput(String message) {
    super(message);
  }
}
