package io.sr4j.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sr4j.loss.LossTerms;
import java.io.IOException;

/**
 * The config record of one loss term, a {@code train.<name>_opt} section. Its {@code type} names the term in
 * {@link LossTerms}, which also says which record the section binds to.
 */
public interface LossTermConfig {
  /** The registered type name, e.g. L1Loss. */
  String type();

  /** The weight of the term in the generator's loss. */
  double weight();

  /**
   * Checks against the whole run that a record cannot make alone (the model type, say), before anything is built or
   * written, and names the input files the term needs to {@code inputs}; throws {@link ConfigException} naming
   * {@code key} (e.g. train.perceptual_opt).
   */
  default void check(String key, TrainConfig run, Inputs inputs) {}

  /** Where a section names the files it needs (a path or {@code zoo:NAME}); a dry run lists those that are missing. */
  @FunctionalInterface
  interface Inputs {
    void require(String key, String pathOrZooRef);
  }

  /** One line for the dry run and train.log. */
  String describe();

  /** Binds a section to the record its {@code type} registers (used for the values of {@link TrainSection#losses()}). */
  final class Reader extends JsonDeserializer<LossTermConfig> {
    @Override
    public LossTermConfig deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      String section = p.currentName();
      JsonNode node = ctx.readTree(p);
      if (!(node instanceof ObjectNode obj)) {
        throw new InvalidValue("type", String.valueOf(node), "a mapping with 'type' and the loss options");
      }
      return ctx.readTreeAsValue(obj, LossTerms.configType(typeOf(obj, section)));
    }

    /** The section's type, or the default of its name (perceptual_opt, gan_opt). */
    static String typeOf(ObjectNode section, String name) {
      JsonNode type = section.get("type");
      if (type == null && LossTerms.defaultType(name) != null) {
        return LossTerms.defaultType(name);
      }
      if (type == null || !type.isTextual()) {
        throw new InvalidValue("type", type == null ? "(missing)" : type, "one of " + LossTerms.types());
      }
      return type.asText();
    }
  }
}
