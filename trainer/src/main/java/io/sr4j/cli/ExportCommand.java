package io.sr4j.cli;

import io.sr4j.ckpt.Checkpoint;
import io.sr4j.ckpt.GeneratorFiles;
import io.sr4j.ckpt.OnnxExport;
import io.sr4j.ckpt.WeightsZoo;
import io.sr4j.infer.Models;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Export a generator for deployment.",
      "",
      "--format dl4j writes a generator-only ModelSerializer zip (no optimizer state) with the model card",
      "(architecture, scale, colour handling, value range): 'sr upscale' and plain DL4J code load it.",
      "--format onnx writes an ONNX model (opset 13; dynamic batch, height and width; NCHW float32 in [0,1];",
      "PixelShuffle as DepthToSpace CRD, nearest upsampling as Resize) with the same facts as metadata."
    })
final class ExportCommand implements Callable<Integer> {
  enum Format { dl4j, onnx }

  @Spec CommandSpec spec;

  @Mixin ModelOptions model;

  @Option(names = "--scale", paramLabel = "N", description = "Scale, where the model file does not say it (e.g. an SRCNN .mat not named xN.mat).")
  Integer scale;

  @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "dl4j or onnx.")
  Format format;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Output file.")
  Path output;

  @Override
  public Integer call() {
    Models.ModelSpec spec = model.spec();
    Path source = WeightsZoo.resolve(spec.model(), "--model");
    Checkpoint.Loaded loaded = GeneratorFiles.load(source, scale, spec.paramKey(), spec.arch(), spec.options());
    Map<String, byte[]> runEntries = Checkpoint.runEntries(source);
    if (format == Format.onnx) {
      OnnxExport.write(loaded.network(), loaded.card(), runEntries, output);
    } else {
      Checkpoint.write(output, loaded.network(), loaded.card(), false, runEntries);
    }
    this.spec.commandLine().getOut().println("wrote " + output + " (" + loaded.card().arch() + " x" + loaded.card().scale()
        + ", " + loaded.card().colour() + ")");
    return 0;
  }
}
