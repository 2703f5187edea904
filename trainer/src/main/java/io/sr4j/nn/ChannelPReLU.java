package io.sr4j.nn;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.weights.WeightInitConstant;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PyTorch {@code nn.PReLU(channels)} for NCHW activations: one slope per channel, initialised to 0.25, parameter
 * "W" of shape [C, 1, 1]. Configured like DL4J's {@code PReLULayer} with the slope shared over height and width,
 * but computed by {@link ChannelPReLULayer}: libnd4j's {@code prelu_bp} refuses inputs longer than 128 times the
 * number of slopes, i.e. every real activation map.
 */
public class ChannelPReLU extends PReLULayer {
  /** For JSON deserialisation. */
  public ChannelPReLU() {}

  public ChannelPReLU(long channels) {
    setInputShape(new long[] {channels, 1, 1});
    setSharedAxes(new long[] {2, 3});
    setNIn((int) channels);
    setNOut((int) channels);
    setWeightInitFn(new WeightInitConstant(0.25));
  }

  @Override
  public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
      INDArray paramsView, boolean initializeParams, DataType networkDataType) {
    ChannelPReLULayer layer = new ChannelPReLULayer(conf, networkDataType);
    layer.setListeners(listeners);
    layer.setIndex(layerIndex);
    layer.setParamsViewArray(paramsView);
    Map<String, INDArray> params = initializer().init(conf, paramsView, initializeParams);
    layer.setParamTable(params);
    layer.setConf(conf);
    return layer;
  }
}
