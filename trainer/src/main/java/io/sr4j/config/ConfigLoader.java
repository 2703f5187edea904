package io.sr4j.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.sr4j.data.Suggestions;
import io.sr4j.loss.LossTerms;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads YAML configs into immutable records with strict validation: unknown keys (with the closest known key
 * suggested), wrong types and out-of-range values fail before anything runs, with the file, the key path, the bad
 * value and what is allowed. {@code --set a.b.c=value} overrides are applied to the YAML tree first.
 */
public final class ConfigLoader {
  private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  /** Configs are small; anything larger is not one (and is not read into memory). */
  private static final long MAX_CONFIG_BYTES = 1 << 20;

  private ConfigLoader() {}

  /** The YAML mapper with the config naming convention (snake_case keys). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Reads {@code file}, applies {@code overrides} ("a.b.c=value"), binds and validates. */
  public static TrainConfig load(Path file, List<String> overrides) {
    ObjectNode tree = readTree(file);
    for (String o : overrides) {
      applyOverride(tree, o);
    }
    return bind(tree, TrainConfig.class, file.toString());
  }

  /** The YAML document of {@code file} as a tree. */
  public static ObjectNode readTree(Path file) {
    JsonNode node;
    try {
      if (Files.size(file) > MAX_CONFIG_BYTES) {
        throw new ConfigException(file + ": " + Files.size(file) + " bytes is not a config (at most "
            + MAX_CONFIG_BYTES + " bytes of YAML)");
      }
      node = MAPPER.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such config file");
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new ConfigException(file + ": not a text file (a config is UTF-8 YAML)");
    } catch (JsonProcessingException e) {
      throw new ConfigException(file + ": not valid YAML (" + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()) + ")");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")");
    }
    if (!(node instanceof ObjectNode obj)) {
      throw new ConfigException(file + ": expected a YAML mapping of keys at the top level");
    }
    return obj;
  }

  /** Sets {@code a.b.c=value} in {@code root}; the value is parsed as YAML (numbers, booleans, [lists], ~). */
  public static void applyOverride(ObjectNode root, String assignment) {
    int eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw new ConfigException("--set " + assignment + ": expected key.path=value, e.g. train.total_iter=1000");
    }
    String[] keys = assignment.substring(0, eq).trim().split("\\.");
    JsonNode value;
    try {
      String text = assignment.substring(eq + 1);
      value = text.isEmpty() ? JsonNodeFactory.instance.textNode("") : MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ConfigException("--set " + assignment + ": the value is not valid YAML (" + e.getOriginalMessage() + ")");
    }
    ObjectNode at = root;
    for (int i = 0; i < keys.length - 1; i++) {
      JsonNode next = at.get(keys[i]);
      if (next == null || next.isNull()) {
        next = at.putObject(keys[i]);
      } else if (!(next instanceof ObjectNode)) {
        throw new ConfigException("--set " + assignment + ": " + String.join(".", List.of(keys).subList(0, i + 1))
            + " is a value, not a mapping of keys");
      }
      at = (ObjectNode) next;
    }
    at.set(keys[keys.length - 1], value == null ? JsonNodeFactory.instance.nullNode() : value);
  }

  /**
   * Binds a tree to a config record, turning every binding problem into a {@link ConfigException}. Keys are checked
   * first, so that a misspelt key is reported as unknown (with the closest known key) even when it is a required one
   * that the record would otherwise report as missing.
   */
  public static <T> T bind(JsonNode tree, Class<T> type, String source) {
    checkKeys(tree, MAPPER.constructType(type), "", source);
    try {
      return MAPPER.treeToValue(type == TrainConfig.class ? lossSectionsGathered(tree) : tree, type);
    } catch (JsonProcessingException e) {
      throw explain(source, e);
    }
  }

  /**
   * A copy of a run config's tree with the {@code <name>_opt} sections of {@code train} moved, in the file's order,
   * into {@code train.losses}, the map {@link TrainSection} binds them to. (Binding them straight from {@code train}
   * would need an any-setter on a record's constructor, which Jackson only has since 2.18; the Spark module runs on
   * Spark's Jackson 2.15.)
   */
  private static JsonNode lossSectionsGathered(JsonNode tree) {
    if (!(tree.get("train") instanceof ObjectNode train)) {
      return tree;
    }
    ObjectNode root = ((ObjectNode) tree).deepCopy();
    ObjectNode gathered = JsonNodeFactory.instance.objectNode();
    ObjectNode losses = gathered.putObject(LOSSES);
    train.fields().forEachRemaining(e -> {
      if (e.getKey().matches(TrainSection.LOSS_KEY)) {
        losses.set(e.getKey(), e.getValue());
      } else {
        gathered.set(e.getKey(), e.getValue());
      }
    });
    root.set("train", gathered);
    return root;
  }

  /** Where {@link #lossSectionsGathered} puts the loss sections; never a key of a config file. */
  private static final String LOSSES = "losses";

  /** A tree as YAML text (used to store the resolved config with every run and checkpoint). */
  public static String toYaml(Object config) {
    try {
      return MAPPER.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise config", e);
    }
  }

  /** Fails on the first key of {@code node} that {@code type} (a record, map, list or loss section) does not know. */
  private static void checkKeys(JsonNode node, JavaType type, String path, String source) {
    Class<?> raw = type.getRawClass();
    if (raw == LossTermConfig.class) {
      if (node instanceof ObjectNode obj) {
        String section = path.substring(path.lastIndexOf('.') + 1);
        Class<?> config;
        try {
          config = LossTerms.configType(LossTermConfig.Reader.typeOf(obj, section));
        } catch (InvalidValue e) {
          return; // binding names the bad type with its path
        }
        checkKeys(node, MAPPER.constructType(config), path, source);
      }
      return;
    }
    if (type.isContainerType()) {
      JavaType content = type.getContentType();
      if (type.isMapLikeType() && node instanceof ObjectNode obj) {
        obj.fields().forEachRemaining(e -> checkKeys(e.getValue(), content, join(path, e.getKey()), source));
      } else if (type.isCollectionLikeType()) {
        if (node.isArray()) {
          for (int i = 0; i < node.size(); i++) {
            checkKeys(node.get(i), content, path + "[" + i + "]", source);
          }
        } else {
          checkKeys(node, content, path, source); // a single value where a list is accepted
        }
      }
      return;
    }
    if (!raw.isRecord() || !(node instanceof ObjectNode obj)
        || raw.isAnnotationPresent(com.fasterxml.jackson.databind.annotation.JsonDeserialize.class)) {
      return; // scalars, type mismatches, records read by their own deserializer (NetworkConfig: the architecture's options)
    }
    Map<String, JavaType> known = new TreeMap<>();
    ExtraKeys extra = null;
    JavaType extraType = null;
    for (var prop : MAPPER.getDeserializationConfig().introspect(type).findProperties()) {
      known.put(prop.getName(), prop.getPrimaryType());
    }
    for (RecordComponent c : raw.getRecordComponents()) {
      if (c.isAnnotationPresent(ExtraKeys.class)) {
        extra = c.getAnnotation(ExtraKeys.class);
        extraType = MAPPER.constructType(c.getGenericType()).getContentType();
        known.remove(MAPPER.getPropertyNamingStrategy() instanceof PropertyNamingStrategies.NamingBase n
            ? n.translate(c.getName()) : c.getName());
      }
    }
    for (var it = obj.fields(); it.hasNext(); ) {
      var field = it.next();
      String key = field.getKey();
      JavaType t = known.get(key);
      if (t == null && extra != null && key.matches(extra.pattern())) {
        t = extraType;
      }
      if (t == null) {
        String closest = Suggestions.closest(key, known.keySet());
        throw new ConfigException(source + ": " + join(path, key) + ": unknown key"
            + (closest == null ? "" : "; did you mean " + closest + "?") + " (allowed here: " + String.join(", ", known.keySet())
            + (extra == null ? "" : ", or " + extra.meaning()) + ")");
      }
      checkKeys(field.getValue(), t, join(path, key), source);
    }
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static ConfigException explain(String source, JsonProcessingException e) {
    String path = e instanceof JsonMappingException m ? path(m) : "";
    String at = source + ": " + (path.isEmpty() ? "" : path + ": ");
    if (e instanceof UnrecognizedPropertyException u) {
      List<String> known = new ArrayList<>();
      for (Object k : u.getKnownPropertyIds()) {
        known.add(String.valueOf(k));
      }
      known.sort(null);
      String closest = Suggestions.closest(u.getPropertyName(), known);
      String parent = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) + "." : "";
      return new ConfigException(source + ": " + parent + u.getPropertyName() + ": unknown key"
          + (closest == null ? "" : "; did you mean " + closest + "?") + " (allowed here: " + String.join(", ", known) + ")");
    }
    if (e instanceof ValueInstantiationException v && v.getCause() instanceof InvalidValue iv) {
      return new ConfigException(source + ": " + (path.isEmpty() ? "" : path + ".") + iv.key() + ": " + iv.problem());
    }
    if (e instanceof InvalidFormatException f) {
      return new ConfigException(at + "'" + f.getValue() + "' is not " + describe(f.getTargetType()));
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return new ConfigException(at + "wrong kind of value, expected " + describe(m.getTargetType()));
    }
    if (e.getCause() instanceof InvalidValue iv) {
      return new ConfigException(source + ": " + (path.isEmpty() ? "" : path + ".") + iv.key() + ": " + iv.problem());
    }
    return new ConfigException(at + e.getOriginalMessage());
  }

  private static String describe(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Double.class || type == double.class || type == Float.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a text value";
    }
    if (List.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (type.isRecord() || java.util.Map.class.isAssignableFrom(type)) {
      return "a mapping of keys";
    }
    return "a " + type.getSimpleName();
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (r.getFieldName().equals(LOSSES) && r.getFrom() == TrainSection.class) {
          continue; // train.losses.pixel_opt is train.pixel_opt in the file
        }
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }
}
