package io.sr4j.data;

/**
 * A problem with something the user supplied (a file, a folder, a key or a value). The message names the
 * offending input and says what was expected; the command line prints it as one line without a stack trace.
 */
public class BadInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
