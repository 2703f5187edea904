package io.sr4j.ckpt;

import io.sr4j.ckpt.formats.StateDict;
import io.sr4j.ckpt.formats.Tensor;
import io.sr4j.data.BadInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies PyTorch-style state dicts ({@code <module>.weight}, {@code .bias}, {@code .running_mean},
 * {@code .running_var}) into a graph whose layers carry the module names, converting layouts where DL4J differs
 * (Linear weights are transposed; BatchNorm weight/bias are gamma/beta; PReLU weight is the per-channel slope).
 * Every mismatch is reported with the first offending key: a missing key, an extra key or a wrong shape.
 */
public final class WeightMapping {
  private WeightMapping() {}

  /** DL4J parameter of {@code layer} for the PyTorch attribute {@code attr}, or null for buffers with no counterpart. */
  static String dl4jParam(Layer layer, String attr) {
    Object conf = layer.conf().getLayer();
    if (conf instanceof BatchNormalization) {
      return switch (attr) {
        case "weight" -> "gamma";
        case "bias" -> "beta";
        case "running_mean" -> "mean";
        case "running_var" -> "var";
        case "num_batches_tracked" -> null;
        default -> "?" + attr;
      };
    }
    if (conf instanceof PReLULayer) {
      return attr.equals("weight") ? "W" : "?" + attr;
    }
    return switch (attr) {
      case "weight" -> "W";
      case "bias" -> "b";
      default -> "?" + attr;
    };
  }

  /**
   * Loads {@code dict} into {@code graph}. Keys are {@code <layer name>.<attribute>}. With {@code strict}, every
   * parameter of the graph must be set and every key used; otherwise what matches by name and shape is loaded and
   * the rest is listed in the returned report.
   */
  public static List<String> load(ComputationGraph graph, StateDict dict, boolean strict) {
    Map<String, INDArray> table = graph.paramTable(false);
    Set<String> unset = new LinkedHashSet<>(table.keySet());
    List<String> skipped = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : dict.asMap().entrySet()) {
      String key = e.getKey();
      int dot = key.lastIndexOf('.');
      String layerName = dot < 0 ? key : key.substring(0, dot);
      String attr = dot < 0 ? "" : key.substring(dot + 1);
      Layer layer = graph.getLayer(layerName);
      String param = layer == null ? null : dl4jParam(layer, attr);
      if (layer != null && param == null) {
        continue; // a buffer with no DL4J counterpart (num_batches_tracked)
      }
      String paramKey = layerName + "_" + param;
      INDArray target = table.get(paramKey);
      if (target == null) {
        if (strict) {
          throw new BadInputException(dict.source() + ": unexpected key '" + key + "': the network has no such "
              + (layer == null ? "layer" : "parameter") + " (its layers: " + layerNames(graph) + ")");
        }
        skipped.add(key + " (no such parameter)");
        continue;
      }
      INDArray value = toDl4j(e.getValue(), layer, target.shape());
      if (value == null) {
        String msg = dict.source() + ": shape mismatch for '" + key + "': file has " + Arrays.toString(e.getValue().shape())
            + ", the network expects " + Arrays.toString(target.shape());
        if (strict) {
          throw new BadInputException(msg);
        }
        skipped.add(key + " (shape " + Arrays.toString(e.getValue().shape()) + " vs " + Arrays.toString(target.shape()) + ")");
        continue;
      }
      target.assign(value);
      unset.remove(paramKey);
    }
    if (!unset.isEmpty()) {
      if (strict) {
        String first = unset.iterator().next();
        throw new BadInputException(dict.source() + ": missing key for parameter '" + first + "' ("
            + unset.size() + " parameter(s) not in the file)");
      }
      for (String k : unset) {
        skipped.add(k + " (kept its initial value)");
      }
    }
    return skipped;
  }

  /** The tensor in DL4J layout with {@code shape}, or null when its element count or layout cannot match. */
  static INDArray toDl4j(Tensor t, Layer layer, long[] shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    if (t.numel() != n) {
      return null;
    }
    INDArray a = Nd4j.createFromArray(t.data()).reshape('c', t.shape().length == 0 ? new long[] {1} : t.shape());
    if (layer.conf().getLayer() instanceof DenseLayer && t.rank() == 2) {
      // PyTorch Linear [out, in] -> DL4J [in, out]
      if (t.shape()[0] != shape[1] || t.shape()[1] != shape[0]) {
        return null;
      }
      return a.transpose().dup('c');
    }
    if (t.rank() == 4 && shape.length == 4 && !Arrays.equals(t.shape(), shape)) {
      return null;
    }
    return a.reshape('c', shape);
  }

  private static String layerNames(ComputationGraph graph) {
    List<String> names = new ArrayList<>();
    for (Layer l : graph.getLayers()) {
      names.add(l.conf().getLayer().getLayerName());
    }
    return names.size() > 8 ? String.join(", ", names.subList(0, 8)) + ", ..." : String.join(", ", names);
  }
}
