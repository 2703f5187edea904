package io.sr4j.nn;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Runs every test with ND4J's arrays on {@link HostBuffers}, as the command line runs (registered as a service). */
public final class HostBuffersSession implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    HostBuffers.install();
  }
}
