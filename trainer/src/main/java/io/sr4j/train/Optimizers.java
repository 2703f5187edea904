package io.sr4j.train;

import io.sr4j.config.InvalidValue;
import io.sr4j.config.OptimizerConfig;
import io.sr4j.config.SchedulerConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * Puts an optimizer config onto every trainable layer of a graph configuration: Adam (betas, epsilon 1e-8) or SGD
 * (plain, or Nesterov momentum when {@code momentum > 0}), the learning-rate schedule scaled by the layer's
 * multiplier ({@code lr_multipliers} match layer names or name prefixes), and weight decay as L2 on the gradient
 * (PyTorch's {@code weight_decay} for Adam and SGD).
 */
public final class Optimizers {
  private Optimizers() {}

  /** Applies {@code opt} and {@code sched} to {@code conf} in place; unknown multiplier keys are an error. */
  public static void apply(ComputationGraphConfiguration conf, OptimizerConfig opt, SchedulerConfig sched, long warmupIter,
      String key) {
    Set<String> usedMultipliers = new HashSet<>();
    for (Map.Entry<String, org.deeplearning4j.nn.conf.graph.GraphVertex> e : conf.getVertices().entrySet()) {
      if (!(e.getValue() instanceof LayerVertex lv) || !(lv.getLayerConf().getLayer() instanceof BaseLayer layer)) {
        continue;
      }
      String name = e.getKey();
      double multiplier = 1;
      for (Map.Entry<String, Double> m : opt.lrMultipliers().entrySet()) {
        if (name.equals(m.getKey()) || name.startsWith(m.getKey() + ".")) {
          multiplier = m.getValue();
          usedMultipliers.add(m.getKey());
        }
      }
      LrSchedule schedule = LrSchedule.of(sched, opt.lr() * multiplier, warmupIter);
      layer.setIUpdater(updater(opt, schedule));
      List<Regularization> reg = new ArrayList<>();
      if (opt.weightDecay() > 0) {
        reg.add(new L2Regularization(opt.weightDecay()));
      }
      layer.setRegularization(reg);
      layer.setRegularizationBias(new ArrayList<>(reg));
    }
    for (String m : opt.lrMultipliers().keySet()) {
      if (!usedMultipliers.contains(m)) {
        throw new InvalidValue(key + ".lr_multipliers." + m, "(no such layer)", "names of layers of the network");
      }
    }
  }

  private static IUpdater updater(OptimizerConfig opt, LrSchedule schedule) {
    if (opt.isAdam()) {
      Adam adam = new Adam(schedule);
      adam.setBeta1(opt.betas().get(0));
      adam.setBeta2(opt.betas().get(1));
      return adam;
    }
    return opt.momentum() > 0 ? new Nesterovs(schedule, opt.momentum()) : new Sgd(schedule);
  }
}
