package io.sr4j.ckpt;

import io.sr4j.arch.AlexNetFeatures;
import io.sr4j.arch.Architecture;
import io.sr4j.arch.Architectures;
import io.sr4j.arch.Vgg16Features;
import io.sr4j.arch.Vgg19Features;
import io.sr4j.ckpt.formats.KerasH5Reader;
import io.sr4j.ckpt.formats.MatWeightsReader;
import io.sr4j.ckpt.formats.SafetensorsReader;
import io.sr4j.ckpt.formats.StateDict;
import io.sr4j.ckpt.formats.Tensor;
import io.sr4j.ckpt.formats.TorchCheckpoint;
import io.sr4j.ckpt.formats.TorchCheckpointReader;
import io.sr4j.data.BadInputException;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.nn.InputGradientGraph;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Imports the weights papers and toolboxes released: the original SRCNN MATLAB files, PyTorch/safetensors files
 * of ESRGAN (official release and BasicSR key layouts) and BasicSR MSRResNet, VGG-19 (torchvision {@code .pth}
 * or Keras notop {@code .h5}), VGG-16 and AlexNet (torchvision). Architecture options are read off the tensor shapes.
 */
public final class PublishedWeights {
  private static final Pattern MAT_SCALE = Pattern.compile("x([234])\\.mat$");
  private static final Pattern ESRGAN_OFFICIAL = Pattern.compile("^RRDB_trunk\\.(\\d+)\\.RDB(\\d)\\.(conv\\d)\\.(weight|bias)$");
  private static final Map<String, String> ESRGAN_OFFICIAL_RENAMES = Map.of(
      "trunk_conv", "conv_body", "upconv1", "conv_up1", "upconv2", "conv_up2", "HRconv", "conv_hr");

  private PublishedWeights() {}

  /** The file types this class reads, by extension. */
  public static boolean isWeightsFile(Path file) {
    String ext = ImageFiles.extension(file);
    return List.of("mat", "pth", "pt", "safetensors", "h5").contains(ext);
  }

  /**
   * An SRCNN from the authors' MATLAB file (variables weights_conv1..3, biases_conv1..3), applied as they apply
   * it: 'same' size with replicate padding on the Y channel. The scale comes from a name ending in x2/x3/x4.mat
   * unless {@code scaleHint} is given.
   */
  public static Checkpoint.Loaded srcnnFromMat(Path file, Integer scaleHint) {
    StateDict mat = MatWeightsReader.read(file);
    Tensor w1 = mat.get("weights_conv1"); // [f1*f1, n1]
    Tensor w2 = mat.get("weights_conv2"); // [n1, f2*f2, n2], or [n1, n2] when f2 = 1
    Tensor w3 = mat.get("weights_conv3"); // [n2, f3*f3]
    int n1 = (int) w1.shape()[1];
    int f1 = squareSide(w1.shape()[0], file, "weights_conv1");
    int n2 = (int) w2.shape()[w2.rank() - 1];
    int f2 = w2.rank() == 3 ? squareSide(w2.shape()[1], file, "weights_conv2") : 1;
    int f3 = squareSide(w3.shape()[1], file, "weights_conv3");
    int scale = scaleHint != null ? scaleHint : scaleFromName(file);
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("scale", scale);
    options.put("num_in_ch", 1);
    options.put("kernel_sizes", List.of(f1, f2, f3));
    options.put("num_feat", List.of(n1, n2));
    options.put("padding", "replicate");
    InputGradientGraph net = build("srcnn", options);
    // MATLAB reshape(w(:, i), f, f) is column-major: kernel element (y, x) is w(y + x*f, i)
    Map<String, Tensor> dict = new LinkedHashMap<>();
    dict.put("conv1.weight", kernels(n1, 1, f1, (o, i, k) -> w1.get(k, o)));
    dict.put("conv1.bias", vector(mat.get("biases_conv1")));
    dict.put("conv2.weight", kernels(n2, n1, f2, (o, i, k) -> w2.rank() == 3 ? w2.get(i, k, o) : w2.get(i, o)));
    dict.put("conv2.bias", vector(mat.get("biases_conv2")));
    dict.put("conv3.weight", kernels(1, n2, f3, (o, i, k) -> w3.get(i, k)));
    dict.put("conv3.bias", vector(mat.get("biases_conv3")));
    WeightMapping.load(net, new StateDict(file.toString(), dict), true);
    return new Checkpoint.Loaded(net, ModelCard.of("srcnn", options, "SRCNN MATLAB weights " + file.getFileName(), null, "raw"));
  }

  private interface KernelValue {
    float at(int out, int in, int columnMajorIndex);
  }

  private static Tensor kernels(int nOut, int nIn, int f, KernelValue value) {
    float[] data = new float[nOut * nIn * f * f];
    for (int o = 0; o < nOut; o++) {
      for (int i = 0; i < nIn; i++) {
        for (int y = 0; y < f; y++) {
          for (int x = 0; x < f; x++) {
            data[((o * nIn + i) * f + y) * f + x] = value.at(o, i, y + x * f);
          }
        }
      }
    }
    return new Tensor(null, new long[] {nOut, nIn, f, f}, "float32", data, null);
  }

  private static Tensor vector(Tensor t) {
    return new Tensor(null, new long[] {t.numel()}, t.dtype(), t.data(), null);
  }

  private static int squareSide(long n, Path file, String var) {
    int f = (int) Math.round(Math.sqrt(n));
    if ((long) f * f != n) {
      throw new BadInputException(file + ": " + var + " has " + n + " kernel taps, expected a square number");
    }
    return f;
  }

  private static int scaleFromName(Path file) {
    Matcher m = MAT_SCALE.matcher(file.getFileName().toString());
    if (!m.find()) {
      throw new BadInputException(file + ": cannot tell the scale from the file name (expected x2.mat, x3.mat or "
          + "x4.mat); give it with --scale");
    }
    return Integer.parseInt(m.group(1));
  }

  /** The state dict of a PyTorch or safetensors file; {@code paramKey} picks params/params_ema in BasicSR files. */
  public static StateDict readTorch(Path file, String paramKey) {
    if (ImageFiles.extension(file).equals("safetensors")) {
      return SafetensorsReader.read(file);
    }
    TorchCheckpoint ckpt = TorchCheckpointReader.read(file);
    List<String> top = ckpt.topLevelKeys();
    if (paramKey != null && !paramKey.equals("none") && top.contains(paramKey)) {
      return ckpt.stateDict(paramKey);
    }
    for (String wrapper : List.of("params_ema", "params", "state_dict", "model")) {
      if (top.contains(wrapper) && !top.contains("conv_first.weight")) {
        return ckpt.stateDict(wrapper);
      }
    }
    return ckpt.stateDict();
  }

  /**
   * A generator from a PyTorch or safetensors file in one of the supported key layouts: ESRGAN's official release
   * (RRDB_trunk..., trunk_conv, upconv1/2, HRconv), BasicSR RRDBNet (body.N.rdbK..., conv_body, conv_up1/2,
   * conv_hr) or BasicSR MSRResNet. {@code scaleHint} decides x2 versus x3 when the file has one upsampling stage.
   */
  public static Checkpoint.Loaded generatorFromTorch(Path file, String paramKey, Integer scaleHint) {
    StateDict dict = readTorch(file, paramKey).stripPrefix("module.");
    if (dict.keys().stream().anyMatch(k -> k.startsWith("RRDB_trunk."))) {
      dict = renameEsrganOfficial(dict);
    }
    if (dict.contains("body.0.rdb1.conv1.weight")) {
      return rrdbNet(file, dict, scaleHint);
    }
    if (dict.contains("body.0.conv1.weight") && dict.contains("conv_hr.weight")) {
      return msrResNet(file, dict, scaleHint);
    }
    throw new BadInputException(file + ": unknown generator layout; supported: ESRGAN official (RRDB_trunk.*), "
        + "BasicSR RRDBNet (body.N.rdbK.*), BasicSR MSRResNet (body.N.conv1, conv_hr). First keys: "
        + dict.keys().stream().limit(5).toList());
  }

  private static StateDict renameEsrganOfficial(StateDict dict) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : dict.asMap().entrySet()) {
      String k = e.getKey();
      Matcher m = ESRGAN_OFFICIAL.matcher(k);
      if (m.matches()) {
        k = "body." + m.group(1) + ".rdb" + m.group(2) + "." + m.group(3) + "." + m.group(4);
      } else {
        String module = k.substring(0, k.lastIndexOf('.'));
        String renamed = ESRGAN_OFFICIAL_RENAMES.get(module);
        if (renamed != null) {
          k = renamed + k.substring(module.length());
        }
      }
      out.put(k, e.getValue());
    }
    return new StateDict(dict.source(), out);
  }

  private static Checkpoint.Loaded rrdbNet(Path file, StateDict dict, Integer scaleHint) {
    Tensor first = dict.get("conv_first.weight");
    if (first.shape()[1] != 1 && first.shape()[1] != 3) {
      throw new BadInputException(file + ": conv_first takes " + first.shape()[1] + " channels; BasicSR's x1/x2 "
          + "RRDBNet (pixel-unshuffled input) is not supported, only x2/x3/x4 with nearest upsampling");
    }
    int blocks = 0;
    while (dict.contains("body." + blocks + ".rdb1.conv1.weight")) {
      blocks++;
    }
    int upStages = dict.contains("conv_up2.weight") ? 2 : 1;
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("scale", upStages == 2 ? 4 : scaleHint == null ? 2 : scaleHint);
    options.put("num_in_ch", (int) first.shape()[1]);
    options.put("num_out_ch", (int) dict.get("conv_last.weight").shape()[0]);
    options.put("num_feat", (int) first.shape()[0]);
    options.put("num_block", blocks);
    options.put("num_grow_ch", (int) dict.get("body.0.rdb1.conv1.weight").shape()[0]);
    return loaded("rrdbnet", options, file, dict);
  }

  private static Checkpoint.Loaded msrResNet(Path file, StateDict dict, Integer scaleHint) {
    int blocks = 0;
    while (dict.contains("body." + blocks + ".conv1.weight")) {
      blocks++;
    }
    Tensor first = dict.get("conv_first.weight");
    long upOut = dict.get("upconv1.weight").shape()[0];
    int nf = (int) first.shape()[0];
    int scale = dict.contains("upconv2.weight") ? 4 : upOut == 9L * nf ? 3 : 2;
    if (scaleHint != null && scaleHint != scale) {
      throw new BadInputException(file + ": this MSRResNet upscales x" + scale + ", not x" + scaleHint);
    }
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("style", "msrresnet");
    options.put("scale", scale);
    options.put("num_in_ch", (int) first.shape()[1]);
    options.put("num_out_ch", (int) dict.get("conv_last.weight").shape()[0]);
    options.put("num_feat", nf);
    options.put("num_block", blocks);
    return loaded("srresnet", options, file, dict);
  }

  private static Checkpoint.Loaded loaded(String arch, Map<String, Object> options, Path file, StateDict dict) {
    InputGradientGraph net = build(arch, options);
    WeightMapping.load(net, dict, true);
    return new Checkpoint.Loaded(net, ModelCard.of(arch, options, "imported " + file.getFileName(), null, "raw"));
  }

  /**
   * VGG-19 features with released ImageNet weights: torchvision's {@code vgg19-dcbb9e9d.pth} (RGB in [0,1], the
   * torchvision normalisation) or Keras' notop {@code .h5} (BGR in [0,255] minus the Caffe means; the channel order
   * is folded into conv1_1 and the input scaling into the "input_norm" vertex).
   */
  public static InputGradientGraph vgg19(Path file, List<String> layers, boolean beforeActivation) {
    return vgg19(file, layers, beforeActivation, true);
  }

  /** As {@link #vgg19(Path, List, boolean)}; without {@code inputNorm} the input goes to conv1_1 as it is. */
  public static InputGradientGraph vgg19(Path file, List<String> layers, boolean beforeActivation, boolean inputNorm) {
    String ext = ImageFiles.extension(file);
    boolean keras = ext.equals("h5");
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("layers", layers);
    options.put("before_activation", beforeActivation);
    options.put("input_norm", !inputNorm ? "none" : keras ? "caffe" : "torchvision");
    InputGradientGraph net = build("vgg19", options);
    Map<String, Tensor> dict = new LinkedHashMap<>();
    List<String> convs = Vgg19Features.allConvNames();
    StateDict source = keras ? KerasH5Reader.read(file) : readTorch(file, null);
    for (int i = 0; i < convs.size(); i++) {
      String conv = convs.get(i);
      if (!net.getConfiguration().getVertices().containsKey(conv)) {
        break; // the graph stops at the deepest requested layer
      }
      if (keras) {
        String layer = "block" + conv.substring(4).replace("_", "_conv");
        Tensor kernel = kerasWeight(source, layer, "W", "kernel");
        Tensor bias = kerasWeight(source, layer, "b", "bias");
        dict.put(conv + ".weight", hwioToOihw(kernel, i == 0));
        dict.put(conv + ".bias", bias);
      } else {
        putTorchvisionConv(dict, source, conv, Vgg19Features.torchvisionIndices()[i]);
      }
    }
    WeightMapping.load(net, new StateDict(file.toString(), dict), true);
    return net;
  }

  /**
   * VGG-16 features with torchvision's ImageNet weights ({@code vgg16-397923af.pth}, the network LPIPS-VGG uses);
   * {@code inputNorm} is an input_norm of {@link Vgg16Features} (lpips, torchvision, none).
   */
  public static InputGradientGraph vgg16(Path file, List<String> layers, String inputNorm) {
    return torchvisionFeatures("vgg16", file, layers, inputNorm, Vgg16Features.allConvNames(),
        Vgg16Features.torchvisionIndices());
  }

  /**
   * AlexNet features with torchvision's ImageNet weights ({@code alexnet-owt-7be5be79.pth}, the network of LPIPS's
   * default metric); {@code inputNorm} as for {@link #vgg16}.
   */
  public static InputGradientGraph alexnet(Path file, List<String> layers, String inputNorm) {
    return torchvisionFeatures("alexnet", file, layers, inputNorm, AlexNetFeatures.allConvNames(),
        AlexNetFeatures.torchvisionIndices());
  }

  /**
   * A torchvision feature network ({@code features.<index>} convolutions, {@code indices[i]} for {@code convs[i]});
   * num_feat is conv1's number of output channels (64 in torchvision's files).
   */
  private static InputGradientGraph torchvisionFeatures(String arch, Path file, List<String> layers, String inputNorm,
      List<String> convs, int[] indices) {
    StateDict source = readTorch(file, null);
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("layers", layers);
    options.put("input_norm", inputNorm);
    options.put("num_feat", (int) source.get("features.0.weight").shape()[0]);
    InputGradientGraph net = build(arch, options);
    Map<String, Tensor> dict = new LinkedHashMap<>();
    for (int i = 0; i < convs.size() && net.getConfiguration().getVertices().containsKey(convs.get(i)); i++) {
      putTorchvisionConv(dict, source, convs.get(i), indices[i]);
    }
    WeightMapping.load(net, new StateDict(file.toString(), dict), true);
    return net;
  }

  /** Weight and bias of torchvision's {@code features.<index>} as those of {@code conv}. */
  private static void putTorchvisionConv(Map<String, Tensor> dict, StateDict source, String conv, int index) {
    dict.put(conv + ".weight", source.get("features." + index + ".weight"));
    dict.put(conv + ".bias", source.get("features." + index + ".bias"));
  }

  private static Tensor kerasWeight(StateDict source, String layer, String oldSuffix, String newSuffix) {
    for (String k : source.keys()) {
      if (k.startsWith(layer + "/") && (k.endsWith("_" + oldSuffix + "_1:0") || k.endsWith("/" + newSuffix + ":0")
          || k.endsWith("_" + oldSuffix + ":0"))) {
        return source.get(k);
      }
    }
    return source.get(layer + "/" + newSuffix + ":0"); // fails with the closest keys listed
  }

  /** Keras [kh, kw, in, out] to [out, in, kh, kw]; for conv1_1 also BGR to RGB input order. */
  private static Tensor hwioToOihw(Tensor t, boolean flipInputChannels) {
    int kh = (int) t.shape()[0];
    int kw = (int) t.shape()[1];
    int in = (int) t.shape()[2];
    int out = (int) t.shape()[3];
    float[] data = new float[t.numel()];
    for (int o = 0; o < out; o++) {
      for (int i = 0; i < in; i++) {
        int src = flipInputChannels ? in - 1 - i : i;
        for (int y = 0; y < kh; y++) {
          for (int x = 0; x < kw; x++) {
            data[((o * in + i) * kh + y) * kw + x] = t.get(y, x, src, o);
          }
        }
      }
    }
    return new Tensor(t.name(), new long[] {out, in, kh, kw}, "float32", data, null);
  }

  static InputGradientGraph build(String arch, Map<String, Object> options) {
    Architecture<?> a = Architectures.get(arch);
    return io.sr4j.nn.Graphs.initialised(a.configuration(options, arch), 0); // every weight is then overwritten
  }
}
