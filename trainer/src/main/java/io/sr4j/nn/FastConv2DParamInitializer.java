package io.sr4j.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameters of {@link FastConv2D}: the flat parameter view holds {@code "W"} ([nOut, nIn, kH, kW], c order, i.e.
 * PyTorch's OIHW) followed by {@code "b"} ([nOut]) when the layer has a bias.
 *
 * <p>Weights are initialised with the layer's {@code IWeightInit} using PyTorch's fan convention:
 * fanIn = nIn*kH*kW, fanOut = nOut*kH*kW. Biases are set to the layer's {@code biasInit}.
 */
public final class FastConv2DParamInitializer implements ParamInitializer {

  /** Weight key, [nOut, nIn, kH, kW]. */
  public static final String WEIGHT_KEY = "W";
  /** Bias key, [nOut]. */
  public static final String BIAS_KEY = "b";

  private static final FastConv2DParamInitializer INSTANCE = new FastConv2DParamInitializer();

  private FastConv2DParamInitializer() {
  }

  public static FastConv2DParamInitializer getInstance() {
    return INSTANCE;
  }

  @Override
  public long numParams(NeuralNetConfiguration conf) {
    return numParams(conf.getLayer());
  }

  @Override
  public long numParams(Layer layer) {
    FastConv2D c = (FastConv2D) layer;
    return numWeights(c) + (c.hasBias() ? c.getNOut() : 0);
  }

  private static long numWeights(FastConv2D c) {
    return c.getNOut() * c.getNIn() * c.getKernelSize()[0] * c.getKernelSize()[1];
  }

  private static long[] weightShape(FastConv2D c) {
    return new long[] {c.getNOut(), c.getNIn(), c.getKernelSize()[0], c.getKernelSize()[1]};
  }

  @Override
  public List<String> paramKeys(Layer layer) {
    return ((FastConv2D) layer).hasBias() ? List.of(WEIGHT_KEY, BIAS_KEY) : List.of(WEIGHT_KEY);
  }

  @Override
  public List<String> weightKeys(Layer layer) {
    return List.of(WEIGHT_KEY);
  }

  @Override
  public List<String> biasKeys(Layer layer) {
    return ((FastConv2D) layer).hasBias() ? List.of(BIAS_KEY) : Collections.emptyList();
  }

  @Override
  public boolean isWeightParam(Layer layer, String key) {
    return WEIGHT_KEY.equals(key);
  }

  @Override
  public boolean isBiasParam(Layer layer, String key) {
    return BIAS_KEY.equals(key);
  }

  @Override
  public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
    FastConv2D c = (FastConv2D) conf.getLayer();
    Map<String, INDArray> views = split(c, paramsView);
    INDArray w = views.get(WEIGHT_KEY);
    if (initializeParams) {
      long kernelArea = (long) c.getKernelSize()[0] * c.getKernelSize()[1];
      // Stock IWeightInits fill the flat view in place and return it reshaped; the assign also covers
      // implementations that return a new array.
      w.assign(c.getWeightInitFn().init(c.getNIn() * kernelArea, c.getNOut() * kernelArea, weightShape(c),
          'c', flatWeights(c, paramsView)));
    }
    conf.addVariable(WEIGHT_KEY);
    if (c.hasBias()) {
      if (initializeParams) {
        views.get(BIAS_KEY).assign(c.getBiasInit());
      }
      conf.addVariable(BIAS_KEY);
    }
    return Collections.synchronizedMap(views);
  }

  @Override
  public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
    return split((FastConv2D) conf.getLayer(), gradientView);
  }

  private static INDArray flatWeights(FastConv2D c, INDArray flat) {
    return flat.reshape(flat.length()).get(NDArrayIndex.interval(0, numWeights(c)));
  }

  /** Splits a flat [numParams] view into "W" ([nOut, nIn, kH, kW], c order) and "b" ([nOut]) views. */
  private static Map<String, INDArray> split(FastConv2D c, INDArray flat) {
    INDArray flat1d = flat.reshape(flat.length());
    long nW = numWeights(c);
    Map<String, INDArray> out = new LinkedHashMap<>();
    out.put(WEIGHT_KEY, flat1d.get(NDArrayIndex.interval(0, nW)).reshape('c', weightShape(c)));
    if (c.hasBias()) {
      out.put(BIAS_KEY, flat1d.get(NDArrayIndex.interval(nW, nW + c.getNOut())));
    }
    return out;
  }
}
