package io.sr4j.train;

import io.sr4j.data.train.PatchBatch;
import java.util.Map;

/** One optimisation step on a batch; returns the named loss values of the step (BasicSR names: l_pix, l_g_gan ...). */
public interface TrainingStep {
  Map<String, Double> run(PatchBatch batch, long iteration, long epoch);
}
