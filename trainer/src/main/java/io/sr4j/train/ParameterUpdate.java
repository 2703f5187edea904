package io.sr4j.train;

import java.util.List;
import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * The optimizer update of a graph for the gradient of mean-reduced losses: the updater's step (Adam, SGD) on each of
 * DL4J's updater blocks, then {@code params -= update}.
 *
 * <p>DL4J's {@code ComputationGraphUpdater.update} also divides the gradient by the batch size (which must be 1
 * here: the losses are means already), applies gradient normalisation per layer and regularisation per parameter.
 * Its regularisation pass creates views of the parameter and gradient arrays for every parameter, twice, whether
 * or not any regularisation is configured: with the ~100 convolutions of an RRDBNet that bookkeeping took 25-40 ms
 * of a 40-50 ms update, three times the Adam operation itself. Where no layer has gradient normalisation or
 * regularisation (weight decay 0, the recipes' setting), this class runs the updater on the blocks directly,
 * which computes the same values bit for bit (the division by 1 is exact); otherwise DL4J's update runs. Adam runs
 * as {@link AdamKernel} (the same bits, half the time).
 */
final class ParameterUpdate {
  private ParameterUpdate() {}

  /** Applies {@code grad} (dL/dparams of the last backprop) to {@code net}'s parameters. */
  static void apply(ComputationGraph net, Gradient grad, long iteration, long epoch) {
    ComputationGraphUpdater updater = net.getUpdater();
    if (plain(updater.getUpdaterBlocks())) {
      INDArray flat = grad.gradient().reshape(grad.gradient().length());
      for (UpdaterBlock block : updater.getUpdaterBlocks()) {
        if (block.getLayersAndVariablesInBlock().get(0).getLayer().numParams() > 0) {
          INDArray gradient = flat.get(NDArrayIndex.interval(block.getParamOffsetStart(), block.getParamOffsetEnd()));
          GradientUpdater<?> blockUpdater = block.getGradientUpdater();
          if (AdamKernel.handles(blockUpdater, gradient)) {
            AdamKernel.apply((AdamUpdater) blockUpdater, gradient, (int) iteration, (int) epoch);
          } else {
            blockUpdater.applyUpdater(gradient, (int) iteration, (int) epoch);
          }
        }
      }
    } else {
      updater.update(grad, (int) iteration, (int) epoch, 1, LayerWorkspaceMgr.noWorkspaces());
    }
    net.params().subi(grad.gradient());
  }

  /** Whether no parameter of the blocks has regularisation, gradient normalisation or a pretraining-only updater. */
  static boolean plain(List<UpdaterBlock> blocks) {
    for (UpdaterBlock block : blocks) {
      if (block.isPretrainUpdaterBlock()) {
        return false;
      }
      for (UpdaterBlock.ParamState p : block.getLayersAndVariablesInBlock()) {
        Trainable layer = p.getLayer();
        GradientNormalization normalization = layer.getConfig().getGradientNormalization();
        List<Regularization> regularization = layer.getConfig().getRegularizationByParam(p.getParamName());
        if ((normalization != null && normalization != GradientNormalization.None)
            || (regularization != null && !regularization.isEmpty())) {
          return false;
        }
      }
    }
    return true;
  }
}
