package io.sr4j.ckpt;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sr4j.data.AtomicFiles;
import io.sr4j.data.BadInputException;
import io.sr4j.nn.BilinearUpsample;
import io.sr4j.nn.ChannelAffine;
import io.sr4j.nn.ChannelPReLU;
import io.sr4j.nn.FastConv2D;
import io.sr4j.nn.PixelShuffle;
import io.sr4j.nn.PureActivation;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import onnx.Onnx;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.protobuf.ByteString;

/**
 * Writes a generator as an ONNX model (opset 13, IR 7): dynamic batch, height and width; convolutions as Conv (edge
 * padding as Pad mode "edge"), PixelShuffle as DepthToSpace mode CRD, nearest upsampling as Resize (asymmetric,
 * floor), bilinear upsampling as Resize (linear, pytorch_half_pixel), PReLU, BatchNormalization, Concat, Add, Mul.
 * The model card goes into the metadata ({@code sr4j.arch}, {@code sr4j.options}, {@code sr4j.scale},
 * {@code sr4j.colour}, {@code sr4j.pre_upsampled}, {@code sr4j.value_range}), so the file says how to feed it: a
 * "y" model takes the BT.601 Y plane (of the bicubic-upscaled image when pre_upsampled), an "rgb" model RGB, values in
 * [0,1], NCHW float32. The run entries of the source file (its resolved config and provenance, see
 * {@link Checkpoint#runEntries(Path)}) go in as {@code sr4j.config} and {@code sr4j.provenance}.
 */
public final class OnnxExport {
  public static final int OPSET = 13;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ComputationGraph graph;
  private final Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder();

  private OnnxExport(ComputationGraph graph) {
    this.graph = graph;
  }

  /** Writes {@code net} with {@code card} to {@code file}, atomically. */
  public static void write(ComputationGraph net, ModelCard card, Path file) {
    write(net, card, Map.of(), file);
  }

  /** Writes {@code net} with {@code card} and the source's run entries (entry name to bytes) to {@code file}. */
  public static void write(ComputationGraph net, ModelCard card, Map<String, byte[]> runEntries, Path file) {
    Onnx.ModelProto model = new OnnxExport(net).model(card, runEntries);
    try {
      AtomicFiles.write(file, tmp -> {
        try (OutputStream out = Files.newOutputStream(tmp)) {
          model.writeTo(out);
        }
      });
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot write ONNX model (" + e.getMessage() + ")", e);
    }
  }

  Onnx.ModelProto model(ModelCard card, Map<String, byte[]> runEntries) {
    g.setName(card.arch());
    String input = graph.getConfiguration().getNetworkInputs().get(0);
    long inChannels = card.colour() == null || card.colour().equals("rgb") ? 3 : 1;
    g.addInput(valueInfo(input, inChannels, "N", "H", "W"));
    for (int index : graph.topologicalSortOrder()) {
      org.deeplearning4j.nn.graph.vertex.GraphVertex v = graph.getVertices()[index];
      if (v.isInputVertex()) {
        continue;
      }
      List<String> inputs = new ArrayList<>();
      for (var in : v.getInputVertices()) {
        inputs.add(graph.getVertices()[in.getVertexIndex()].getVertexName());
      }
      if (v.hasLayer()) {
        layer(v.getVertexName(), v.getLayer(), inputs);
      } else {
        vertex(v.getVertexName(), graph.getConfiguration().getVertices().get(v.getVertexName()), inputs);
      }
    }
    String output = graph.getConfiguration().getNetworkOutputs().get(0);
    g.addOutput(valueInfo(output, inChannels, "N", "H_out", "W_out"));
    Onnx.ModelProto.Builder m = Onnx.ModelProto.newBuilder()
        .setIrVersion(7)
        .setProducerName("sr4j")
        .setGraph(g)
        .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("sr4j.arch", card.arch());
    try {
      meta.put("sr4j.options", JSON.writeValueAsString(card.options()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    meta.put("sr4j.scale", String.valueOf(card.scale()));
    meta.put("sr4j.colour", String.valueOf(card.colour()));
    meta.put("sr4j.pre_upsampled", String.valueOf(card.preUpsampled()));
    meta.put("sr4j.value_range", String.valueOf(card.valueRange()));
    meta.put("sr4j.source", String.valueOf(card.source()));
    byte[] config = runEntries.get(Checkpoint.CONFIG_ENTRY);
    byte[] provenance = runEntries.get(Checkpoint.PROVENANCE_ENTRY);
    if (config != null) {
      meta.put("sr4j.config", new String(config, java.nio.charset.StandardCharsets.UTF_8));
    }
    if (provenance != null) {
      meta.put("sr4j.provenance", new String(provenance, java.nio.charset.StandardCharsets.UTF_8));
    }
    for (Map.Entry<String, String> e : meta.entrySet()) {
      m.addMetadataProps(Onnx.StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
    }
    return m.build();
  }

  private void layer(String name, Layer layer, List<String> inputs) {
    Object conf = layer.conf().getLayer();
    String in = inputs.get(0);
    if (conf instanceof FastConv2D c) {
      int[] k = c.getKernelSize();
      int[] s = c.getStride();
      int[] p = c.getPaddingMode() == FastConv2D.Padding.EXPLICIT ? c.getPadding() : new int[] {k[0] / 2, k[1] / 2};
      String x = in;
      if (c.getPaddingMode() == FastConv2D.Padding.REPLICATE) {
        x = name + "__edge_pad";
        String pads = constant(name + "__pads", DataType.LONG, new long[] {8}, new long[] {0, 0, p[0], p[1], 0, 0, p[0], p[1]});
        node("Pad", List.of(in, pads), x, attr("mode", "edge"));
        p = new int[] {0, 0};
      }
      List<String> convInputs = new ArrayList<>(List.of(x, initializer(name + ".weight", layer.getParam("W"))));
      if (c.hasBias()) {
        convInputs.add(initializer(name + ".bias", layer.getParam("b")));
      }
      boolean activated = !(c.getActivationFn() instanceof ActivationIdentity);
      String convOut = activated ? name + "__conv" : name;
      node("Conv", convInputs, convOut, ints("kernel_shape", k[0], k[1]), ints("strides", s[0], s[1]),
          ints("pads", p[0], p[1], p[0], p[1]), ints("dilations", 1, 1), attr("group", 1));
      if (activated) {
        activation(c.getActivationFn(), convOut, name);
      }
    } else if (conf instanceof ChannelPReLU) {
      node("PRelu", List.of(in, initializer(name + ".weight", layer.getParam("W"))), name);
    } else if (conf instanceof BatchNormalization bn) {
      if (bn.isUseLogStd()) {
        throw new BadInputException("ONNX export: BatchNormalization " + name + " stores log10(std), which this "
            + "project's networks never do; only its own architectures export");
      }
      INDArray var = layer.getParam("var");
      List<String> bnInputs = List.of(in, initializer(name + ".weight", layer.getParam("gamma")),
          initializer(name + ".bias", layer.getParam("beta")), initializer(name + ".running_mean", layer.getParam("mean")),
          initializer(name + ".running_var", var));
      boolean activated = !(bn.getActivationFn() instanceof ActivationIdentity);
      String out = activated ? name + "__bn" : name;
      node("BatchNormalization", bnInputs, out, attr("epsilon", (float) bn.getEps()));
      if (activated) {
        activation(bn.getActivationFn(), out, name);
      }
    } else if (conf instanceof Upsampling2D u) {
      int[] size = u.getSize();
      String scales = constant(name + "__scales", DataType.FLOAT, new long[] {4}, new float[] {1, 1, size[0], size[1]});
      node("Resize", List.of(in, "", scales), name, attr("mode", "nearest"),
          attr("coordinate_transformation_mode", "asymmetric"), attr("nearest_mode", "floor"));
    } else {
      throw new BadInputException("ONNX export: layer " + name + " (" + conf.getClass().getSimpleName()
          + ") has no ONNX translation");
    }
  }

  private void vertex(String name, GraphVertex conf, List<String> inputs) {
    if (conf instanceof MergeVertex) {
      node("Concat", inputs, name, attr("axis", 1));
    } else if (conf instanceof ElementWiseVertex e) {
      String op = switch (e.getOp()) {
        case Add -> "Add";
        case Product -> "Mul";
        case Subtract -> "Sub";
        default -> throw new BadInputException("ONNX export: element-wise " + e.getOp() + " of " + name + " not supported");
      };
      String acc = inputs.get(0);
      for (int i = 1; i < inputs.size(); i++) {
        String out = i == inputs.size() - 1 ? name : name + "__" + i;
        node(op, List.of(acc, inputs.get(i)), out);
        acc = out;
      }
    } else if (conf instanceof ScaleVertex s) {
      String factor = constant(name + "__factor", DataType.FLOAT, new long[] {}, new float[] {(float) s.getScaleFactor()});
      node("Mul", List.of(inputs.get(0), factor), name);
    } else if (conf instanceof PixelShuffle ps) {
      node("DepthToSpace", inputs, name, attr("blocksize", ps.getUpscaleFactor()), attr("mode", "CRD"));
    } else if (conf instanceof BilinearUpsample b) {
      String scales = constant(name + "__scales", DataType.FLOAT, new long[] {4}, new float[] {1, 1, b.getFactor(), b.getFactor()});
      node("Resize", List.of(inputs.get(0), "", scales), name, attr("mode", "linear"),
          attr("coordinate_transformation_mode", "pytorch_half_pixel"));
    } else if (conf instanceof PureActivation a) {
      activation(a.getFunction(), inputs.get(0), name);
    } else if (conf instanceof ChannelAffine a) {
      long c = a.getScale().length;
      String scale = constant(name + "__scale", DataType.FLOAT, new long[] {1, c, 1, 1}, toFloats(a.getScale()));
      String shift = constant(name + "__shift", DataType.FLOAT, new long[] {1, c, 1, 1}, toFloats(a.getShift()));
      node("Mul", List.of(inputs.get(0), scale), name + "__scaled");
      node("Add", List.of(name + "__scaled", shift), name);
    } else {
      throw new BadInputException("ONNX export: vertex " + name + " (" + conf.getClass().getSimpleName()
          + ") has no ONNX translation");
    }
  }

  private void activation(IActivation fn, String in, String out) {
    if (fn instanceof ActivationReLU r && (r.getNegativeSlope() == null || r.getNegativeSlope() == 0)) {
      node("Relu", List.of(in), out);
    } else if (fn instanceof ActivationLReLU l) {
      node("LeakyRelu", List.of(in), out, attr("alpha", (float) l.getAlpha()));
    } else if (fn instanceof ActivationIdentity) {
      node("Identity", List.of(in), out);
    } else {
      throw new BadInputException("ONNX export: activation " + fn + " has no ONNX translation");
    }
  }

  private static float[] toFloats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  private void node(String op, List<String> inputs, String output, Onnx.AttributeProto... attributes) {
    Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(op).setName(output).addOutput(output);
    inputs.forEach(n::addInput);
    for (Onnx.AttributeProto a : attributes) {
      n.addAttribute(a);
    }
    g.addNode(n);
  }

  /** A float32 initializer holding {@code value} (any rank), named {@code name}. */
  private String initializer(String name, INDArray value) {
    INDArray v = value.castTo(DataType.FLOAT).dup('c');
    return constant(name, DataType.FLOAT, v.shape(), v.data().asFloat());
  }

  private String constant(String name, DataType type, long[] shape, Object data) {
    Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name);
    for (long d : shape) {
      t.addDims(d);
    }
    ByteBuffer buf;
    if (type == DataType.LONG) {
      long[] values = (long[]) data;
      buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
      for (long l : values) {
        buf.putLong(l);
      }
      t.setDataType(Onnx.TensorProto.DataType.INT64_VALUE);
    } else {
      float[] values = (float[]) data;
      buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (float f : values) {
        buf.putFloat(f);
      }
      t.setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE);
    }
    t.setRawData(ByteString.copyFrom(buf.array()));
    g.addInitializer(t);
    return name;
  }

  private static Onnx.ValueInfoProto valueInfo(String name, long channels, String n, String h, String w) {
    Onnx.TensorShapeProto shape = Onnx.TensorShapeProto.newBuilder()
        .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam(n))
        .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(channels))
        .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam(h))
        .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam(w))
        .build();
    Onnx.TypeProto type = Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder()
        .setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE).setShape(shape)).build();
    return Onnx.ValueInfoProto.newBuilder().setName(name).setType(type).build();
  }

  private static Onnx.AttributeProto attr(String name, long value) {
    return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INT).setI(value).build();
  }

  private static Onnx.AttributeProto attr(String name, float value) {
    return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.FLOAT).setF(value).build();
  }

  private static Onnx.AttributeProto attr(String name, String value) {
    return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.STRING)
        .setS(ByteString.copyFromUtf8(value)).build();
  }

  private static Onnx.AttributeProto ints(String name, long... values) {
    Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }
}
