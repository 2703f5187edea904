package io.sr4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.arch.Architectures;
import io.sr4j.train.Ema;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The named ways of binding a graph to parameters: what is shared, what is copied, what runs with workspaces. */
class GraphsTest {
  private static ComputationGraphConfiguration rrdb() {
    return Architectures.get("rrdbnet").configuration(
        Map.of("scale", 2, "num_feat", 8, "num_block", 1, "num_grow_ch", 4), "rrdbnet");
  }

  private static INDArray input() {
    Nd4j.getRandom().setSeed(1);
    return Nd4j.rand(DataType.FLOAT, 1, 3, 12, 10);
  }

  @Test
  void initialisedGraphsAreReproducibleFromTheirSeed() {
    INDArray a = Graphs.initialised(rrdb(), 7).params();
    Nd4j.getRandom().setSeed(999); // whatever the global stream did before
    INDArray b = Graphs.initialised(rrdb(), 7).params();
    assertEquals(a, b);
    assertNotEquals(a, Graphs.initialised(rrdb(), 8).params());
    // seed 0 (the default manual_seed) too, although ND4J's generator does not honour 0 itself
    INDArray zero = Graphs.initialised(rrdb(), 0).params();
    Nd4j.getRandom().setSeed(0);
    Nd4j.rand(DataType.FLOAT, 1000); // whatever state seed 0 leaves the generator in
    assertEquals(zero, Graphs.initialised(rrdb(), 0).params());
  }

  @Test
  void theEmaNeverAliasesTheRawWeights() {
    InputGradientGraph g = Graphs.initialised(rrdb(), 1);
    Ema ema = Ema.startingFrom(g, 0.9);
    INDArray before = ema.network().params().dup();
    g.params().addi(1); // an optimizer step on the raw weights
    assertEquals(before, ema.network().params(), "the EMA did not move with the raw weights");
    ema.update(g);
    assertNotEquals(before, ema.network().params());
    assertFalse(g.params().equalsWithEps(ema.network().params(), 1e-3), "the raw weights are not the EMA's");
    INDArray copy = Graphs.copyOf(g).params();
    g.params().addi(1);
    assertFalse(copy.equalsWithEps(g.params(), 1e-3), "copyOf owns its weights");
  }

  @Test
  void theInferenceViewSharesTheTrainedWeightsAndRunsWithWorkspaces() throws Exception {
    InputGradientGraph g = Graphs.initialised(rrdb(), 3);
    ComputationGraph view = Graphs.inferenceView(g);
    INDArray x = input();
    assertEquals(g.output(false, x)[0], view.output(false, x)[0]);
    g.params().muli(0.5); // a training step: the view sees it
    assertEquals(g.output(false, x)[0], view.output(false, x)[0]);
    // workspaces are per thread: run each graph on a fresh thread and look at what that thread left
    assertTrue(runOnFreshThreadLeavesWorkspaces(view, x), "inference view used DL4J workspaces");
    assertFalse(runOnFreshThreadLeavesWorkspaces(g, x), "the training graph (no workspaces) leaves none");
  }

  private static boolean runOnFreshThreadLeavesWorkspaces(ComputationGraph net, INDArray x) throws InterruptedException {
    AtomicBoolean any = new AtomicBoolean();
    Thread t = new Thread(() -> {
      net.output(false, x);
      any.set(!Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread().isEmpty());
    });
    t.start();
    t.join();
    return any.get();
  }
}
