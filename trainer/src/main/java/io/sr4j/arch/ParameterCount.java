package io.sr4j.arch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameter counts as PyTorch reports them ({@code sum(p.numel() for p in model.parameters())}): trainable
 * weights only, so BatchNorm running means and variances, which DL4J stores as parameters, are not counted.
 */
public final class ParameterCount {
  private ParameterCount() {}

  /** One layer of a summary: name, kind, trainable parameter count. */
  public record LayerInfo(String name, String kind, long params) {}

  public static long trainable(ComputationGraph graph) {
    return layers(graph).stream().mapToLong(LayerInfo::params).sum();
  }

  /** Every layer in topological order with its trainable parameter count. */
  public static List<LayerInfo> layers(ComputationGraph graph) {
    List<LayerInfo> out = new ArrayList<>();
    for (int i : graph.topologicalSortOrder()) {
      var vertex = graph.getVertices()[i];
      if (!vertex.hasLayer()) {
        continue;
      }
      Layer layer = vertex.getLayer();
      boolean bn = layer.conf().getLayer() instanceof BatchNormalization;
      long n = 0;
      for (Map.Entry<String, INDArray> p : layer.paramTable(false).entrySet()) {
        if (!(bn && (p.getKey().equals("mean") || p.getKey().equals("var")))) {
          n += p.getValue().length();
        }
      }
      out.add(new LayerInfo(vertex.getVertexName(), layer.conf().getLayer().getClass().getSimpleName(), n));
    }
    return out;
  }
}
