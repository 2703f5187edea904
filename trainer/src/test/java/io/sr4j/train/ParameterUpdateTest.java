package io.sr4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.arch.Architectures;
import io.sr4j.config.OptimizerConfig;
import io.sr4j.config.SchedulerConfig;
import io.sr4j.nn.Graphs;
import io.sr4j.nn.InputGradientGraph;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The direct update on DL4J's updater blocks (Adam on AdamKernel) gives DL4J's own update bit for bit. */
class ParameterUpdateTest {

  /** The VGG-128 discriminator (BatchNorm: its running statistics form updater blocks of their own) with Adam. */
  private static InputGradientGraph discriminator(double weightDecay) {
    ComputationGraphConfiguration conf = Architectures.get("vgg128").configuration(
        Map.of("num_feat", 4, "input_size", 32), "vgg128");
    Optimizers.apply(conf, new OptimizerConfig("Adam", 1e-2, List.of(0.9, 0.99), null, weightDecay, Map.of()),
        new SchedulerConfig(SchedulerConfig.CONSTANT, null, null, null, null, null), 0, "train.optim_d");
    return Graphs.initialised(conf, 3);
  }

  /** Three steps of each way on the same batches: parameters (with BatchNorm statistics) and Adam's moments. */
  @Test
  void sameParametersAndOptimizerStateAsDl4jsUpdate() {
    InputGradientGraph direct = discriminator(0);
    InputGradientGraph dl4j = discriminator(0);
    assertTrue(ParameterUpdate.plain(direct.getUpdater().getUpdaterBlocks()));
    INDArray flat = direct.getFlattenedGradients().reshape(direct.getFlattenedGradients().length());
    long adamBlocks = direct.getUpdater().getUpdaterBlocks().stream()
        .filter(b -> AdamKernel.handles(b.getGradientUpdater(),
            flat.get(NDArrayIndex.interval(b.getParamOffsetStart(), b.getParamOffsetEnd()))))
        .count();
    assertTrue(adamBlocks > 0, "the discriminator's Adam blocks run on AdamKernel");
    Nd4j.getRandom().setSeed(11);
    for (int step = 0; step < 3; step++) {
      INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
      INDArray dLdOut = Nd4j.rand(DataType.FLOAT, 2, 1).subi(0.5);
      direct.forwardTrain(x);
      ParameterUpdate.apply(direct, direct.backpropWithInputGradients(dLdOut).parameters(), step, 0);
      dl4j.forwardTrain(x);
      Gradient g = dl4j.backpropWithInputGradients(dLdOut).parameters();
      dl4j.getUpdater().update(g, step, 0, 1, LayerWorkspaceMgr.noWorkspaces());
      dl4j.params().subi(g.gradient());
      assertArrayEquals(dl4j.params().toFloatVector(), direct.params().toFloatVector(), "parameters, step " + step);
      assertArrayEquals(dl4j.getUpdater().getStateViewArray().toFloatVector(),
          direct.getUpdater().getStateViewArray().toFloatVector(), "Adam's moments, step " + step);
    }
  }

  /** Weight decay (L2 on the gradient) is DL4J's regularisation: its own update runs. */
  @Test
  void weightDecayLeavesTheUpdateToDl4j() {
    assertFalse(ParameterUpdate.plain(discriminator(1e-4).getUpdater().getUpdaterBlocks()));
  }
}
