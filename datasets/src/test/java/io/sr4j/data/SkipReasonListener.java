package io.sr4j.data;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints why a test was skipped (a failed assumption, a disabled test) on the console during {@code mvn test}:
 * Surefire only counts skipped tests. Registered for both modules' tests through
 * META-INF/services/org.junit.platform.launcher.TestExecutionListener (the trainer gets it with this module's test
 * jar).
 */
public final class SkipReasonListener implements TestExecutionListener {
  @Override
  public void executionSkipped(TestIdentifier test, String reason) {
    print(test, reason);
  }

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
      print(test, result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
    }
  }

  private static void print(TestIdentifier test, String reason) {
    String name = test.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
        .map(m -> m.getClassName().substring(m.getClassName().lastIndexOf('.') + 1) + "." + m.getMethodName())
        .orElse(test.getDisplayName());
    System.out.println("[SKIPPED] " + name + ": " + reason);
  }
}
