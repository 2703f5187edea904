package io.sr4j.infer;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sr4j.ckpt.ModelCard;
import io.sr4j.data.BadInputException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

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

  public static OnnxModel open(Path file) {
    try {
      OrtSession.SessionOptions settings = new OrtSession.SessionOptions();
      settings.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
      OrtSession session = OrtEnvironment.getEnvironment().createSession(file.toString(), settings);
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
