package io.sr4j.infer;

import io.sr4j.ckpt.Checkpoint;
import io.sr4j.ckpt.GeneratorFiles;
import io.sr4j.ckpt.WeightsZoo;
import io.sr4j.data.BadInputException;
import io.sr4j.data.resize.ResizeKernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** Opens the model a user names on the command line: a classical interpolator or a model file. */
public final class Models {
  private Models() {}

  /** What {@code --model} (and {@code --arch}, {@code --opt}, {@code --param-key}) name. */
  public record ModelSpec(String model, String arch, Map<String, Object> options, String paramKey) {
    public static ModelSpec of(String model) {
      return new ModelSpec(model, null, Map.of(), "params");
    }
  }

  /**
   * bicubic, bilinear or nearest; else the generator in a model file. {@code scale} (null: what the file says) must
   * agree with the file; interpolators need it.
   */
  public static Upscaler open(ModelSpec spec, Integer scale) {
    for (ResizeKernel k : ResizeKernel.values()) {
      if (k.configName().equalsIgnoreCase(spec.model())) {
        if (scale == null) {
          throw new BadInputException("--model " + spec.model() + " needs --scale (2, 3 or 4)");
        }
        return new Interpolation(k, scale);
      }
    }
    Path file = WeightsZoo.resolve(spec.model(), "--model");
    if (!Files.exists(file)) {
      throw new BadInputException("unknown model '" + spec.model() + "': not a file, and not one of "
          + Arrays.stream(ResizeKernel.values()).map(ResizeKernel::configName).toList());
    }
    if (io.sr4j.data.image.ImageFiles.extension(file).equals("onnx")) {
      OnnxModel onnx = OnnxModel.open(file);
      if (scale != null && onnx.card().scale() != scale.intValue()) {
        throw new BadInputException(file + ": this model upscales x" + onnx.card().scale() + ", not x" + scale);
      }
      return new NetworkUpscaler(onnx.forward(), onnx.card(), file.getFileName().toString());
    }
    Checkpoint.Loaded loaded = GeneratorFiles.load(file, scale, spec.paramKey(), spec.arch(), spec.options());
    return new NetworkUpscaler(loaded.network(), loaded.card(), file.getFileName().toString());
  }
}
