package io.sr4j.spark;

import io.sr4j.data.BadInputException;
import io.sr4j.data.resize.ResizeKernel;
import io.sr4j.infer.Models;
import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A job's model as executors find it: a classical interpolator by name, or a model file the driver shipped to
 * every executor with {@code SparkContext.addFile} (any Hadoop or HTTP URI, or a local path of the driver).
 *
 * @param model interpolator name, or the shipped file's name
 * @param fileSha256 SHA-256 of the model file (part of the job fingerprint); null for an interpolator
 * @param arch, options, paramKey as {@code --arch}, {@code --opt}, {@code --param-key} of {@code sr upscale}
 * @param scale upscaling factor
 */
record ModelRef(String model, String fileSha256, String arch, Map<String, Object> options, String paramKey, int scale)
    implements Serializable {

  /** On the driver: resolves {@code spec.model()} and ships a model file to the executors. */
  static ModelRef ship(JavaSparkContext sc, HadoopFiles files, Models.ModelSpec spec, int scale) {
    Map<String, Object> options = new LinkedHashMap<>(spec.options());
    for (ResizeKernel k : ResizeKernel.values()) {
      if (k.configName().equalsIgnoreCase(spec.model())) {
        return new ModelRef(k.configName(), null, spec.arch(), options, spec.paramKey(), scale);
      }
    }
    String uri = files.qualify(spec.model());
    if (!files.exists(uri) || files.isDirectory(uri)) {
      throw new BadInputException("unknown model '" + spec.model() + "': not a file, and not one of "
          + Arrays.stream(ResizeKernel.values()).map(ResizeKernel::configName).toList());
    }
    String sha = files.sha256(uri);
    sc.addFile(uri);
    return new ModelRef(HadoopFiles.fileName(uri), sha, spec.arch(), options, spec.paramKey(), scale);
  }

  boolean isNetwork() {
    return fileSha256 != null;
  }

  /** On an executor: what {@link Models#open} takes, naming the executor's copy of a shipped file. */
  Models.ModelSpec localSpec() {
    return new Models.ModelSpec(isNetwork() ? SparkFiles.get(model) : model, arch, options, paramKey);
  }

  /** For job fingerprints. */
  String describe() {
    return model + " sha256=" + fileSha256 + " arch=" + arch + " opts=" + options + " param-key=" + paramKey
        + " scale=" + scale;
  }
}
