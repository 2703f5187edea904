package io.sr4j.arch;

import io.sr4j.nn.ChannelAffine;
import io.sr4j.nn.MaxPool;
import io.sr4j.nn.PureActivation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * The convolutional part of a VGG network (Simonyan and Zisserman) as a feature extractor, shared by VGG-16 and
 * VGG-19: blocks of 3x3 convolutions (num_feat times 1, 2, 4, 8, 8 channels; num_feat 64 in the published networks)
 * named convB_C, each followed by its ReLU (inside the convolution, or a separate vertex reluB_C where the
 * convolution's output before the ReLU is requested too), 2x2 max pooling poolB between blocks, an optional
 * per-channel input map "input_norm" in front.
 * The outputs "out.&lt;layer&gt;" are the requested layers in the order given; the graph stops at the deepest one.
 */
final class VggGraph {
  /** Channels of each block relative to the first. */
  private static final int[] WIDTH = {1, 2, 4, 8, 8};

  private VggGraph() {}

  /** convB_C names in network order for {@code convsPerBlock} (e.g. {2, 2, 3, 3, 3} for VGG-16). */
  static List<String> convNames(int[] convsPerBlock) {
    List<String> names = new ArrayList<>();
    for (int b = 0; b < convsPerBlock.length; b++) {
      for (int c = 1; c <= convsPerBlock[b]; c++) {
        names.add("conv" + (b + 1) + "_" + c);
      }
    }
    return names;
  }

  /**
   * torchvision's index in {@code vgg.features} of every convolution, in network order (each convolution is followed
   * by its ReLU, each block but the last by a pooling layer).
   */
  static int[] torchvisionIndices(int[] convsPerBlock) {
    int[] indices = new int[convNames(convsPerBlock).size()];
    int at = 0;
    int k = 0;
    for (int b = 0; b < convsPerBlock.length; b++) {
      if (b > 0) {
        at++; // max pooling
      }
      for (int c = 0; c < convsPerBlock[b]; c++) {
        indices[k++] = at;
        at += 2; // convolution and ReLU
      }
    }
    return indices;
  }

  /**
   * The feature graph. {@code layers} are convB_C (before the ReLU when {@code beforeActivation}, else after) or
   * reluB_C (after) names; {@code normScale}/{@code normShift}, when not null, map the input per channel
   * ({@code x * scale + shift}) before conv1_1; the first block has {@code numFeat} channels.
   */
  static ComputationGraphConfiguration build(int[] convsPerBlock, int numFeat, List<String> layers,
      boolean beforeActivation, double[] normScale, double[] normShift) {
    List<String> order = convNames(convsPerBlock);
    int deepest = layers.stream().mapToInt(l -> order.indexOf(l.replace("relu", "conv"))).max().orElseThrow();
    boolean anyReluOutput = !beforeActivation || layers.stream().anyMatch(l -> l.startsWith("relu"));
    GraphBuilder g = Layers.graph();
    String x = "input";
    if (normScale != null) {
      g.addVertex("input_norm", new ChannelAffine(normScale, normShift), x);
      x = "input_norm";
    }
    long in = 3;
    int index = 0;
    // convB_C -> the vertex holding its output after its ReLU (the convolution itself when the ReLU is inside it, and
    // for a last convolution without ReLU)
    Map<String, String> afterRelu = new HashMap<>();
    outer:
    for (int b = 0; b < convsPerBlock.length; b++) {
      if (b > 0) {
        String pool = "pool" + b;
        g.addVertex(pool, new MaxPool(2, 2), x);
        x = pool;
      }
      for (int c = 1; c <= convsPerBlock[b]; c++) {
        String conv = "conv" + (b + 1) + "_" + c;
        boolean relu = index < deepest || anyReluOutput;
        // the ReLU runs inside the convolution unless the pre-activation is itself an output
        boolean fused = relu && !(beforeActivation && layers.contains(conv));
        // Kaiming normal, as torchvision initialises VGG: random features (smoke tests) keep their scale to the end
        g.addLayer(conv, Layers.conv(3, in, (long) numFeat * WIDTH[b], fused ? Layers.RELU : Layers.IDENTITY,
            Layers.kaiming(1.0), true), x);
        in = (long) numFeat * WIDTH[b];
        x = conv;
        if (relu && !fused) {
          x = "relu" + (b + 1) + "_" + c;
          g.addVertex(x, new PureActivation(Layers.RELU), conv);
        }
        afterRelu.put(conv, x);
        if (index == deepest) {
          break outer;
        }
        index++;
      }
    }
    // Each output is a leaf copy of its feature vertex: DL4J replaces, instead of adding to, the gradient that deeper
    // layers send back to a vertex that is also a network output, so outputs must not feed other vertices.
    String[] outputs = new String[layers.size()];
    for (int i = 0; i < outputs.length; i++) {
      String layer = layers.get(i);
      outputs[i] = "out." + layer;
      String conv = layer.replace("relu", "conv");
      String source = beforeActivation && layer.equals(conv) ? conv : afterRelu.get(conv);
      g.addVertex(outputs[i], new PureActivation(Layers.IDENTITY), source);
    }
    return g.setOutputs(outputs).setInputTypes(InputType.convolutional(128, 128, 3)).build();
  }
}
