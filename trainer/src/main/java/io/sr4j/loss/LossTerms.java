package io.sr4j.loss;

import io.sr4j.config.GanConfig;
import io.sr4j.config.InvalidValue;
import io.sr4j.config.LossConfig;
import io.sr4j.config.LossTermConfig;
import io.sr4j.config.PerceptualConfig;
import io.sr4j.config.TrainConfig;
import io.sr4j.data.Suggestions;
import io.sr4j.nn.InputGradientGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of loss terms: each {@code type} a {@code train.<name>_opt} section may name, the config record the
 * section binds to, and how the term is built. Adding a term is one class and one {@code register} line here (plus
 * its keys in configs/README.md).
 */
public final class LossTerms {
  /** What a term may need from the run: the config and, for GAN training, the discriminator. */
  public record Context(TrainConfig run, InputGradientGraph discriminator) {}

  /** Builds a term named {@code name} from its config. */
  @FunctionalInterface
  public interface Builder<C extends LossTermConfig> {
    LossTerm build(String name, C config, Context ctx);
  }

  private record Entry<C extends LossTermConfig>(Class<C> configType, Builder<C> builder) {
    LossTerm build(String name, LossTermConfig config, Context ctx) {
      return builder.build(name, configType.cast(config), ctx);
    }
  }

  private static final Map<String, Entry<?>> REGISTRY = new LinkedHashMap<>();

  static {
    register("L1Loss", LossConfig.class, (n, c, x) -> pixel(n, ElementwiseLoss.Kind.L1, c));
    register("MSELoss", LossConfig.class, (n, c, x) -> pixel(n, ElementwiseLoss.Kind.MSE, c));
    register("CharbonnierLoss", LossConfig.class, (n, c, x) -> pixel(n, ElementwiseLoss.Kind.CHARBONNIER, c));
    register("SSIMLoss", LossConfig.class, (n, c, x) -> new SsimLoss(n, c.lossWeight()));
    register("PerceptualLoss", PerceptualConfig.class, PerceptualLoss::build);
    register("GANLoss", GanConfig.class, AdversarialLoss::build);
    register("GradientLoss", GradientLoss.Config.class, GradientLoss::new);
    register(ContextualLoss.COBI, ContextualLoss.Config.class, ContextualLoss::build);
    register(ContextualLoss.CX, ContextualLoss.Config.class, ContextualLoss::build);
  }

  /** Section types assumed when a section gives none (BasicSR's files always do; older configs here did not). */
  private static final Map<String, String> DEFAULT_TYPES = Map.of(
      "perceptual_opt", "PerceptualLoss",
      "gan_opt", "GANLoss");

  private LossTerms() {}

  private static <C extends LossTermConfig> void register(String type, Class<C> configType, Builder<C> builder) {
    REGISTRY.put(type, new Entry<>(configType, builder));
  }

  private static ElementwiseLoss pixel(String name, ElementwiseLoss.Kind kind, LossConfig c) {
    return new ElementwiseLoss(name, kind, c.reduction(), c.eps(), c.lossWeight());
  }

  /** Every registered type name. */
  public static List<String> types() {
    return List.copyOf(REGISTRY.keySet());
  }

  /** The config record of {@code type} (case-insensitive); unknown types fail naming the closest one. */
  public static Class<? extends LossTermConfig> configType(String type) {
    for (Map.Entry<String, Entry<?>> e : REGISTRY.entrySet()) {
      if (e.getKey().equalsIgnoreCase(type)) {
        return e.getValue().configType();
      }
    }
    String closest = Suggestions.closest(type, REGISTRY.keySet());
    throw new InvalidValue("type", "'" + type + "'", (closest == null ? "" : closest + "? ") + "one of " + types());
  }

  /** The type a section without a {@code type} key gets, or null when it must name one. */
  public static String defaultType(String section) {
    return DEFAULT_TYPES.get(section);
  }

  /** Section name to logged name: pixel_opt -> pix, perceptual_opt -> percep (BasicSR's names), else the stem. */
  public static String termName(String section) {
    String stem = section.substring(0, section.length() - "_opt".length());
    return switch (stem) {
      case "pixel" -> "pix";
      case "perceptual" -> "percep";
      default -> stem;
    };
  }

  /** One term from its section. */
  public static LossTerm build(String section, LossTermConfig config, Context ctx) {
    for (Map.Entry<String, Entry<?>> e : REGISTRY.entrySet()) {
      if (e.getKey().equals(config.type())) {
        return e.getValue().build(termName(section), config, ctx);
      }
    }
    throw new IllegalArgumentException("unregistered loss type " + config.type());
  }

  /** The terms of all sections, in their order. */
  public static List<LossTerm> build(Map<String, LossTermConfig> sections, Context ctx) {
    List<LossTerm> terms = new ArrayList<>();
    sections.forEach((section, config) -> terms.add(build(section, config, ctx)));
    return terms;
  }
}
