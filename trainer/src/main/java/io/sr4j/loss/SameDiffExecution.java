package io.sr4j.loss;

import io.sr4j.nn.HostBuffers;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Collection;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.memory.NoOpMemoryMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs the SameDiff graphs of the autodiff loss routes with bounded memory. In ND4J M2.1 a graph's session (one per
 * graph and thread) keeps every intermediate array of its last call reachable until its next call, and puts the
 * arrays it releases into a cache of up to a quarter of ND4J's memory limit (4 GB with the launcher's limits): the
 * CoBi loss's autodiff route, with one graph per feature width, held 16 GB at its peak. Here each call has a session
 * of its own that frees what it releases at once and is dropped when the call returns, so the rest of its
 * intermediate arrays are unreachable from then on.
 */
final class SameDiffExecution {
  private SameDiffExecution() {}

  /** Session memory that frees an intermediate array when the session releases it. */
  private static final class FreeOnRelease extends NoOpMemoryMgr {
    @Override
    public void release(INDArray array) {
      HostBuffers.release(array);
    }
  }

  /**
   * Builds the reverse-mode graph of {@code sd} now. ND4J M2.1 prints a line to standard output for every op it
   * differentiates while doing so ("Added differentiated op ..."); the output of the command line is ours, so it is
   * muted here.
   */
  static synchronized void createGradientFunctionQuietly(SameDiff sd) {
    PrintStream out = System.out;
    System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    try {
      sd.createGradFunction();
    } finally {
      System.setOut(out);
    }
  }

  /**
   * The values of {@code outputs} and the gradients of {@code gradientsOf} (variables of {@code sd}, whose gradient
   * function exists). The call runs in a session of its own, with {@link FreeOnRelease} memory, that is dropped when
   * it returns: a SameDiff session otherwise keeps every intermediate array of its last call reachable until its
   * next one, for each graph (the CoBi autodiff route has one per feature width).
   */
  static OutAndGrad outputsAndGradients(SameDiff sd, Map<String, INDArray> placeholders, Collection<String> outputs,
      Collection<String> gradientsOf) {
    SameDiff gradients = sd.getFunction("grad"); // where calculateGradientsAndOutputs executes
    long thread = Thread.currentThread().getId();
    InferenceSession session = new InferenceSession(gradients);
    session.setMmgr(new FreeOnRelease());
    gradients.getSessions().put(thread, session);
    try {
      return sd.calculateGradientsAndOutputs(placeholders, outputs, gradientsOf);
    } finally {
      gradients.getSessions().remove(thread);
    }
  }
}
