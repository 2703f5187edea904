package io.sr4j.nn;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.graph.vertex.impl.ElementWiseVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.graph.vertex.impl.MergeVertex;
import org.deeplearning4j.nn.graph.vertex.impl.ScaleVertex;
import org.deeplearning4j.nn.layers.convolution.upsampling.Upsampling2D;

/**
 * Which activations of a graph stay in oneDNN's blocked layout {@code nChw16c} between its convolutions, instead of
 * being reordered to NCHW after every convolution and back before the next (in RRDBNet's dense blocks those reorders
 * were ~9% of a training step).
 *
 * <p>An array of shape [N, C, H, W] in the blocked layout holds the same elements, at other offsets (see
 * {@link DnnlConvolution.ConvShape}). DL4J's vertices still see [N, C, H, W]; a vertex gives the same result on
 * blocked arrays if it treats every element alike: elementwise sums, products, maxima and averages of equally shaped
 * inputs ({@code ElementWiseVertex}; the plan checks their channel counts, and no zoo network broadcasts one over
 * the other's height and width), a scalar scale ({@code ScaleVertex}), and concatenation along the channels
 * ({@code MergeVertex} on axis 1: with channel counts divisible by 16 each input's channels are whole blocks, which
 * lie where the same channels of an NCHW array lie), and likewise their backward passes and the sums of gradients
 * that DL4J forms where an array has several consumers. Nearest upsampling runs as {@link BlockedUpsampling2D}.
 *
 * <p>Plan: the arrays joined by such vertices (a vertex's output with its inputs) form groups; a group is blocked if
 * every array in it comes from a {@link FastConv2DLayer} that {@link FastConv2DLayer#canBlockOutput can write it} or
 * from one of those vertices, every consumer of each array is one of those vertices or a FastConv2D layer that
 * {@link FastConv2DLayer#canBlockInput can read it}, and no array is a network output. Network inputs, outputs, and
 * everything another layer reads (BatchNorm, pooling, PReLU, losses) stay NCHW. The convolutions compute exactly what
 * they compute on NCHW arrays (the reorders only copy), so a planned graph gives bit-identical results; only its
 * intermediate activations, if read directly, are in the blocked layout.
 */
final class BlockedLayouts {

  /**
   * System property, read when a graph is planned: {@code auto} (default: the plan above) or {@code nchw} (every
   * activation NCHW; for comparisons).
   */
  static final String PROPERTY = "sr4j.layouts";

  private BlockedLayouts() {
  }

  /**
   * Names of the vertices of {@code graph} whose outputs are blocked (none if oneDNN is not in use or the
   * {@link #PROPERTY} is {@code nchw}).
   */
  static Set<String> plan(ComputationGraph graph) {
    String mode = System.getProperty(PROPERTY, "auto");
    if (!mode.equals("auto") && !mode.equals("nchw")) {
      throw new IllegalStateException("system property " + PROPERTY + " must be auto or nchw, not '" + mode + "'");
    }
    if (mode.equals("nchw")) {
      return Set.of();
    }
    ComputationGraphConfiguration conf = graph.getConfiguration();
    GraphVertex[] vertices = graph.getVertices();
    int n = vertices.length;
    FastConv2DLayer[] convs = new FastConv2DLayer[n];
    boolean[] elementwise = new boolean[n];
    long[] channels = new long[n];
    int[] group = new int[n];
    for (int i : graph.topologicalSortOrder()) {
      GraphVertex v = vertices[i];
      group[i] = i;
      convs[i] = conv(conf, v);
      elementwise[i] = isElementwise(conf, v);
      if (convs[i] != null) {
        channels[i] = convs[i].layerConf().getNOut();
      } else if (elementwise[i]) {
        long[] in = Arrays.stream(v.getInputVertices()).mapToLong(x -> channels[x.getVertexIndex()]).toArray();
        boolean known = Arrays.stream(in).allMatch(c -> c > 0);
        channels[i] = !known ? 0 : v instanceof MergeVertex ? Arrays.stream(in).sum()
            : Arrays.stream(in).allMatch(c -> c == in[0]) ? in[0] : 0;
        for (VertexIndices x : v.getInputVertices()) {
          union(group, i, x.getVertexIndex());
        }
      }
    }
    boolean[] badGroup = new boolean[n];
    List<String> outputs = conf.getNetworkOutputs();
    for (int i = 0; i < n; i++) {
      boolean ok = (elementwise[i] || convs[i] != null && convs[i].canBlockOutput())
          && channels[i] > 0 && channels[i] % DnnlConvolution.CHANNEL_BLOCK == 0
          && !outputs.contains(vertices[i].getVertexName());
      VertexIndices[] consumers = vertices[i].getOutputVertices();
      for (VertexIndices c : consumers == null ? new VertexIndices[0] : consumers) {
        int j = c.getVertexIndex();
        ok &= elementwise[j] || convs[j] != null && convs[j].canBlockInput();
      }
      if (!ok) {
        badGroup[find(group, i)] = true;
      }
    }
    Set<String> blocked = new HashSet<>();
    for (int i = 0; i < n; i++) {
      if (!badGroup[find(group, i)]) {
        blocked.add(vertices[i].getVertexName());
      }
    }
    return blocked;
  }

  /**
   * Applies {@link #plan} to {@code graph}: sets each FastConv2D layer's input and output layouts and puts a
   * {@link BlockedUpsampling2D} in place of each blocked upsampling layer.
   */
  static void apply(InputGradientGraph graph) {
    Set<String> blocked = plan(graph);
    for (GraphVertex v : graph.getVertices()) {
      if (v instanceof LayerVertex lv && lv.getLayer() instanceof FastConv2DLayer conv) {
        String input = graph.getVertices()[v.getInputVertices()[0].getVertexIndex()].getVertexName();
        conv.setBlockedLayouts(blocked.contains(input), blocked.contains(v.getVertexName()));
      } else if (v instanceof LayerVertex lv && isNchwUpsampling(lv.getLayer())
          && blocked.contains(v.getVertexName())) {
        Upsampling2D up = (Upsampling2D) lv.getLayer();
        BlockedUpsampling2D b = new BlockedUpsampling2D(up.conf(), graph.getConfiguration().getDataType());
        b.setIndex(up.getIndex());
        b.setListeners(up.getListeners());
        graph.replaceLayer(lv, up, b);
      }
    }
  }

  /** Whether {@code v} gives the same result on blocked arrays as on NCHW ones (see the class comment). */
  private static boolean isElementwise(ComputationGraphConfiguration conf, GraphVertex v) {
    if (v instanceof ElementWiseVertex || v instanceof ScaleVertex) {
      return true;
    }
    var vertexConf = conf.getVertices().get(v.getVertexName());
    if (v instanceof MergeVertex) {
      return vertexConf instanceof org.deeplearning4j.nn.conf.graph.MergeVertex m && m.getMergeAxis() == 1;
    }
    return v instanceof LayerVertex lv
        && (lv.getLayer() instanceof BlockedUpsampling2D || isNchwUpsampling(lv.getLayer()))
        && vertexConf instanceof org.deeplearning4j.nn.conf.graph.LayerVertex c && c.getPreProcessor() == null
        && c.getLayerConf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.Upsampling2D u
        && u.getFormat() == CNN2DFormat.NCHW;
  }

  /** Whether {@code layer} is DL4J's own upsampling layer (not a subclass such as {@link BlockedUpsampling2D}). */
  private static boolean isNchwUpsampling(Layer layer) {
    return layer != null && layer.getClass() == Upsampling2D.class;
  }

  /** The FastConv2D layer of {@code v} if it has no input preprocessor, else null. */
  private static FastConv2DLayer conv(ComputationGraphConfiguration conf, GraphVertex v) {
    return v instanceof LayerVertex lv && lv.getLayer() instanceof FastConv2DLayer c
        && conf.getVertices().get(v.getVertexName()) instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lc
        && lc.getPreProcessor() == null ? c : null;
  }

  private static int find(int[] group, int i) {
    while (group[i] != i) {
      group[i] = group[group[i]];
      i = group[i];
    }
    return i;
  }

  private static void union(int[] group, int a, int b) {
    group[find(group, a)] = find(group, b);
  }
}
