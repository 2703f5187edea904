package io.sr4j.data;

/**
 * Receives progress of long operations (downloads, folder conversions) so that a front end can draw a bar or log
 * lines. An operation reports a sequence of tasks, each {@link #start}, any number of {@link #advance} calls, then
 * {@link #finish}; {@link #info} lines may come between tasks. {@code advance} may be called from several threads
 * at once.
 */
public interface Progress {
 /** Reports nothing. */
 Progress NONE = new Progress() {
  @Override
  public void start(String task, long total, String unit) {}

  @Override
  public void advance(long amount) {}

  @Override
  public void finish() {}

  @Override
  public void info(String line) {}
 };

 /** A task of {@code total} units ({@code "B"} for bytes, {@code "images"}, ...) begins; -1 when unknown. */
 void start(String task, long total, String unit);

 /** {@code amount} more units of the current task are done. */
 void advance(long amount);

 /** The current task ended. */
 void finish();

 /** A one-line message between tasks. */
 void info(String line);
}
