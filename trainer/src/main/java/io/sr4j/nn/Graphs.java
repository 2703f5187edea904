package io.sr4j.nn;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The only ways the project binds a graph to a parameter array, by intent:
 * <ul>
 *   <li>{@link #initialised}: a new trainable graph whose weights come from the configured initialisers, drawn from a
 *       random stream seeded with the given seed (so two processes start from the same weights);</li>
 *   <li>{@link #owning}: a trainable graph that takes ownership of a parameter array (read from a file, computed);</li>
 *   <li>{@link #copyOf}: a trainable graph with its own copy of another graph's weights (the EMA);</li>
 *   <li>{@link #trainingTwin}: the same parameter array as a training graph, with layer state of its own (the
 *       discriminator's forward pass on the HR batch, kept from the generator's step for the discriminator's);</li>
 *   <li>{@link #inferenceView}: the same parameter array as a trained graph, with DL4J's inference workspaces on,
 *       so that each activation is freed as soon as the layers reading it have run (the training graph, which must
 *       run without workspaces to hand input gradients back, would keep all of them: gigabytes for RRDBNet nb=23
 *       even on a 128 px tile); it sees every later update of the trained weights.</li>
 * </ul>
 */
public final class Graphs {
  private Graphs() {}

  /**
   * Stands in for seed 0: ND4J's native random generator does not honour 0 (seeded with 0 it starts from an
   * unpredictable state, so two processes with {@code manual_seed: 0} initialised different weights).
   */
  static final long SEED_FOR_ZERO = 0x5DEECE66DL;

  /**
   * A new graph with freshly initialised weights, reproducible from {@code seed}: DL4J seeds the random stream of
   * the initialisers from the configuration's seed when it initialises a graph, so the seed is set there (and on
   * every layer, which keeps it in the saved configuration).
   */
  public static InputGradientGraph initialised(ComputationGraphConfiguration conf, long seed) {
    long nd4jSeed = seed == 0 ? SEED_FOR_ZERO : seed;
    conf.getDefaultConfiguration().setSeed(nd4jSeed);
    for (var v : conf.getVertices().values()) {
      if (v instanceof LayerVertex lv) {
        lv.getLayerConf().setSeed(nd4jSeed);
      }
    }
    InputGradientGraph g = new InputGradientGraph(conf);
    g.init();
    return g;
  }

  /** A graph that uses {@code params} (not copied) as its parameter array; nothing else may hold it. */
  public static InputGradientGraph owning(ComputationGraphConfiguration conf, INDArray params) {
    InputGradientGraph g = new InputGradientGraph(conf);
    g.init(params, false);
    return g;
  }

  /** A graph of {@code net}'s configuration with its own copy of {@code net}'s weights. */
  public static InputGradientGraph copyOf(ComputationGraph net) {
    return owning(net.getConfiguration().clone(), net.params().dup());
  }

  /**
   * {@code net}'s weights (shared, not copied) in a second training graph with its own layer state and gradient
   * buffer: a training-mode forward pass of one batch in the twin is kept for its backward pass while {@code net}
   * runs other batches. Only for as long as {@code net}'s weights do not change in between.
   */
  public static InputGradientGraph trainingTwin(InputGradientGraph net) {
    InputGradientGraph twin = new InputGradientGraph(net.getConfiguration().clone());
    twin.init(net.params(), false);
    return twin;
  }

  /** {@code net}'s weights (shared, not copied) in a graph that runs inference with workspaces. */
  public static ComputationGraph inferenceView(ComputationGraph net) {
    ComputationGraphConfiguration conf = net.getConfiguration().clone();
    conf.setInferenceWorkspaceMode(WorkspaceMode.ENABLED);
    ComputationGraph view = new ComputationGraph(conf);
    view.init(net.params(), false);
    return view;
  }
}
