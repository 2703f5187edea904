package io.sr4j.nn;

import java.util.Collection;
import java.util.Map;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * DL4J's {@link BatchNormalization} configuration (same fields, parameters and JSON apart from the class name) whose
 * runtime layer, {@link BatchNormLayer}, normalises NCHW activations with libnd4j's {@code batchnorm} op and a
 * closed-form backward. Outputs, gradients and the running-statistics update equal DL4J's layer.
 *
 * <p>Only the configuration the zoo uses is supported: NCHW, identity activation, variance stored as is
 * ({@code useLogStd(false)}), learned gamma and beta. {@link #upgrade} turns such DL4J layers of graphs saved by
 * earlier versions into this class.
 */
public class BatchNorm extends BatchNormalization {

  /** For JSON deserialisation only; use {@link #of}. */
  public BatchNorm() {
  }

  /** Whether {@code conf} is a configuration this class handles. */
  static boolean supports(BatchNormalization conf) {
    return !conf.isUseLogStd() && !conf.isLockGammaBeta()
        && (conf.getCnn2DFormat() == null || conf.getCnn2DFormat() == CNN2DFormat.NCHW)
        && (conf.getActivationFn() == null || conf.getActivationFn() instanceof ActivationIdentity);
  }

  /**
   * This class with every setting of {@code conf} (copied through DL4J's JSON form, so nothing is left out).
   *
   * @throws IllegalArgumentException unless {@link #supports}{@code (conf)}
   */
  public static BatchNorm of(BatchNormalization conf) {
    if (!supports(conf)) {
      throw new IllegalArgumentException("BatchNorm supports NCHW, identity activation, useLogStd(false) and "
          + "learned gamma/beta only; got " + conf);
    }
    ObjectMapper mapper = NeuralNetConfiguration.mapper();
    try {
      ObjectNode tree = mapper.valueToTree(conf);
      tree.put("@class", BatchNorm.class.getName());
      return mapper.treeToValue(tree, BatchNorm.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IllegalStateException("cannot copy " + conf + " into " + BatchNorm.class.getName(), e);
    }
  }

  /**
   * Compatibility with graphs saved before this class existed: replaces, in place, every layer of exactly DL4J's
   * {@link BatchNormalization} class that {@link #supports} by the equivalent {@code BatchNorm} (same parameters,
   * same outputs). Returns {@code conf}.
   */
  public static ComputationGraphConfiguration upgrade(ComputationGraphConfiguration conf) {
    for (GraphVertex vertex : conf.getVertices().values()) {
      if (vertex instanceof LayerVertex lv && lv.getLayerConf() != null
          && lv.getLayerConf().getLayer() != null
          && lv.getLayerConf().getLayer().getClass() == BatchNormalization.class
          && supports((BatchNormalization) lv.getLayerConf().getLayer())) {
        lv.getLayerConf().setLayer(of((BatchNormalization) lv.getLayerConf().getLayer()));
      }
    }
    return conf;
  }

  @Override
  public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
      Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
      boolean initializeParams, DataType networkDataType) {
    LayerValidation.assertNOutSet("BatchNorm", getLayerName(), layerIndex, getNOut());
    if (!supports(this)) {
      throw new IllegalStateException("BatchNorm \"" + getLayerName() + "\": unsupported settings " + this);
    }
    BatchNormLayer layer = new BatchNormLayer(conf, networkDataType);
    layer.setListeners(trainingListeners);
    layer.setIndex(layerIndex);
    layer.setParamsViewArray(layerParamsView);
    Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
    layer.setParamTable(params);
    layer.setConf(conf);
    return layer;
  }
}
