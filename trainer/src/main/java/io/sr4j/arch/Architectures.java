package io.sr4j.arch;

import io.sr4j.data.BadInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry of architectures, by the names YAML configs and {@code --arch} use. */
public final class Architectures {
  private static final Map<String, Architecture<?>> BY_NAME = new LinkedHashMap<>();

  static {
    for (Architecture<?> a : List.of(new Srcnn(), new SrResNet(), new RrdbNet(), new Vgg128Discriminator(),
        new SrganDiscriminator(), new Vgg19Features(), new Vgg16Features(),
        new AlexNetFeatures())) {
      BY_NAME.put(a.name(), a);
    }
  }

  private Architectures() {}

  public static List<Architecture<?>> all() {
    return List.copyOf(BY_NAME.values());
  }

  /** The architecture called {@code name}, or an error listing the registered names (and the closest one). */
  public static Architecture<?> get(String name) {
    Architecture<?> a = BY_NAME.get(name);
    if (a == null) {
      String closest = io.sr4j.data.Suggestions.closest(name, BY_NAME.keySet());
      throw new BadInputException("unknown architecture '" + name + "'"
          + (closest == null ? "" : "; did you mean " + closest + "?") + " (registered: "
          + String.join(", ", BY_NAME.keySet()) + ")");
    }
    return a;
  }
}
