package io.sr4j.infer;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sr4j.ckpt.ModelCard;
import io.sr4j.ckpt.formats.ModelLimits;
import io.sr4j.data.BadInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import onnx.Onnx;
import org.nd4j.shade.protobuf.InvalidProtocolBufferException;

/** An exported generator (.onnx) run with ONNX Runtime, its feeding read from the model's sr4j metadata. */
public final class OnnxModel implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final OrtSession session;
  private final ModelCard card;
  private final String input;

  private OnnxModel(OrtSession session, ModelCard card) throws OrtException {
    this.session = session;
    this.card = card;
    this.input = session.getInputNames().iterator().next();
  }

  /** Opens {@code file} after {@link #checkedBytes} has checked it. */
  public static OnnxModel open(Path file) {
    byte[] model = checkedBytes(file);
    try {
      OrtSession.SessionOptions settings = new OrtSession.SessionOptions();
      settings.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
      OrtSession session = OrtEnvironment.getEnvironment().createSession(model, settings);
      Map<String, String> meta = session.getMetadata().getCustomMetadata();
      String arch = meta.get("sr4j.arch");
      if (arch == null) {
        session.close();
        throw new BadInputException(file + ": an ONNX model without sr4j metadata; export it with 'sr export --format onnx'");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> options = JSON.readValue(meta.get("sr4j.options"), Map.class);
      ModelCard card = ModelCard.of(arch, options, "ONNX model " + file.getFileName(), null, "raw");
      return new OnnxModel(session, card);
    } catch (OrtException | java.io.IOException e) {
      throw new BadInputException(file + ": cannot load ONNX model (" + e.getMessage() + ")", e);
    }
  }

  /**
   * The bytes of {@code file} once they are known to describe only what {@code sr export --format onnx} writes, so
   * that no size in the file can make ONNX Runtime allocate more than the image needs: the file fits the model
   * limit ({@link ModelLimits}), every node is one of the exported operators, every initializer holds exactly the
   * elements its dims declare (no external data files), Resize scales are at most {@link #MAX_SCALE} and Pad
   * widths at most {@link #MAX_PAD_PX}.
   */
  static byte[] checkedBytes(Path file) {
    byte[] bytes;
    try {
      ModelLimits.checkAllocation(file.toString(), Files.size(file), "is " + Files.size(file) + " bytes");
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot read ONNX model (" + e.getMessage() + ")", e);
    }
    Onnx.ModelProto model;
    try {
      model = Onnx.ModelProto.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new BadInputException(file + ": not an ONNX model (the protobuf data is corrupt or truncated)", e);
    }
    Map<String, Onnx.TensorProto> initializers = new HashMap<>();
    for (Onnx.TensorProto t : model.getGraph().getInitializerList()) {
      checkInitializer(file, t);
      initializers.put(t.getName(), t);
    }
    for (Onnx.NodeProto node : model.getGraph().getNodeList()) {
      if (!node.getDomain().isEmpty() || !EXPORTED_OPS.contains(node.getOpType())) {
        throw new BadInputException(file + ": node '" + node.getName() + "' is a " + node.getDomain()
            + (node.getDomain().isEmpty() ? "" : ".") + node.getOpType() + " operator; expected a model written by "
            + "'sr export', which uses only " + EXPORTED_OPS.stream().sorted().toList());
      }
      if (node.getOpType().equals("Resize")) {
        checkValues(file, node, initializers, 2, 1, MAX_SCALE, "scales");
      } else if (node.getOpType().equals("Pad")) {
        checkValues(file, node, initializers, 1, 0, MAX_PAD_PX, "pads");
      }
    }
    return bytes;
  }

  /** Operators {@code sr export --format onnx} writes. */
  private static final Set<String> EXPORTED_OPS = Set.of("Add", "BatchNormalization", "Concat", "Conv",
      "DepthToSpace", "Identity", "LeakyRelu", "Mul", "PRelu", "Pad", "Relu", "Resize", "Sub");
  private static final double MAX_SCALE = 8;
  private static final double MAX_PAD_PX = 256;

  private static void checkInitializer(Path file, Onnx.TensorProto t) {
    String where = file + ": initializer '" + t.getName() + "'";
    if (t.getDataLocation() == Onnx.TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
      throw new BadInputException(where + " refers to an external data file; expected a self-contained model "
          + "written by 'sr export'");
    }
    long count = 1;
    for (long d : t.getDimsList()) {
      if (d < 0) {
        throw new BadInputException(where + " has a negative dimension " + t.getDimsList());
      }
      count = ModelLimits.bytes(count, d);
    }
    int elementBytes = switch (t.getDataType()) {
      case Onnx.TensorProto.DataType.FLOAT_VALUE -> Float.BYTES;
      case Onnx.TensorProto.DataType.INT64_VALUE -> Long.BYTES;
      default -> throw new BadInputException(where + " has ONNX data type " + t.getDataType()
          + "; expected float32 (1) or int64 (7) as 'sr export' writes");
    };
    long stored = !t.getRawData().isEmpty() ? t.getRawData().size() / elementBytes
        : elementBytes == Float.BYTES ? t.getFloatDataCount() : t.getInt64DataCount();
    if (count != stored || (!t.getRawData().isEmpty() && t.getRawData().size() % elementBytes != 0)) {
      throw new BadInputException(where + " declares dims " + t.getDimsList() + " (" + count + " elements) but "
          + "holds " + stored + " (corrupt or crafted file?)");
    }
  }

  /** The values of the initializer that is input {@code index} of {@code node} must lie in [min, max]. */
  private static void checkValues(Path file, Onnx.NodeProto node, Map<String, Onnx.TensorProto> initializers,
      int index, double min, double max, String what) {
    Onnx.TensorProto t = node.getInputCount() > index ? initializers.get(node.getInput(index)) : null;
    if (t == null) {
      throw new BadInputException(file + ": node '" + node.getName() + "' takes its " + what + " from '"
          + (node.getInputCount() > index ? node.getInput(index) : "") + "', which is not an initializer; "
          + "expected constant " + what + " as 'sr export' writes");
    }
    ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    boolean floats = t.getDataType() == Onnx.TensorProto.DataType.FLOAT_VALUE;
    int n = !t.getRawData().isEmpty() ? raw.remaining() / (floats ? 4 : 8) : floats ? t.getFloatDataCount() : t.getInt64DataCount();
    for (int i = 0; i < n; i++) {
      double v = !t.getRawData().isEmpty() ? (floats ? raw.getFloat(i * 4) : raw.getLong(i * 8))
          : floats ? t.getFloatData(i) : t.getInt64Data(i);
      if (!(v >= min && v <= max)) {
        throw new BadInputException(file + ": node '" + node.getName() + "' has " + what + " value " + v
            + "; expected " + min + " to " + max);
      }
    }
  }

  public ModelCard card() {
    return card;
  }

  /** The model as a network for {@link NetworkUpscaler}. */
  public NetworkUpscaler.Forward forward() {
    return (data, c, h, w) -> {
      try (OnnxTensor x = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(data),
          new long[] {1, c, h, w}); OrtSession.Result r = session.run(Map.of(input, x))) {
        OnnxTensor y = (OnnxTensor) r.get(0);
        long[] shape = y.getInfo().getShape();
        FloatBuffer fb = y.getFloatBuffer();
        float[] out = new float[fb.remaining()];
        fb.get(out);
        return new NetworkUpscaler.Output(out, (int) shape[1], (int) shape[2], (int) shape[3]);
      } catch (OrtException e) {
        throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
      }
    };
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
