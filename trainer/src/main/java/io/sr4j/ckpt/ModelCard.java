package io.sr4j.ckpt;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.sr4j.arch.Architectures;
import io.sr4j.arch.GeneratorOptions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a model file says about its network, so that it can be rebuilt and used without extra flags: the
 * architecture and its options, and, for generators, the SR scale, the colour planes it works on ("y": the BT.601
 * Y channel, Cb/Cr upscaled bicubically; "rgb"), whether it runs on the bicubic-upscaled image, and the value range of
 * its input and output. {@code source} says where the weights came from; {@code weights} is "raw" or "ema".
 */
public record ModelCard(
    String arch,
    Map<String, Object> options,
    Integer scale,
    String colour,
    Boolean preUpsampled,
    String valueRange,
    String source,
    Long iteration,
    String weights) {

  public ModelCard {
    options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }

  /** The card of a network built from {@code arch} with {@code options} (generator fields filled in when it is one). */
  public static ModelCard of(String arch, Map<String, Object> options, String source, Long iteration, String weights) {
    Object typed = Architectures.get(arch).options(options, arch);
    if (typed instanceof GeneratorOptions g) {
      return new ModelCard(arch, options, g.upscale(), g.colourChannels() == 1 ? "y" : "rgb", g.preUpsampled(),
          "[0,1]", source, iteration, weights);
    }
    return new ModelCard(arch, options, null, null, null, "[0,1]", source, iteration, weights);
  }

  @JsonIgnore
  public boolean isGenerator() {
    return scale != null;
  }

  /** The typed options record of {@link #arch()}. */
  public Object typedOptions() {
    return Architectures.get(arch).options(options, "model card of " + arch);
  }

  /** A copy with another source/iteration/weights description. */
  public ModelCard withProvenance(String newSource, Long newIteration, String newWeights) {
    return new ModelCard(arch, options, scale, colour, preUpsampled, valueRange, newSource, newIteration, newWeights);
  }
}
