package io.sr4j.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A network by its registered architecture name ({@code type}) and that architecture's options (every other key).
 * The options are checked against the architecture when the config is loaded.
 */
@JsonDeserialize(using = NetworkConfig.Reader.class)
public record NetworkConfig(String type, Map<String, Object> options) {
  public NetworkConfig {
    Check.required("type", type);
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }

  static final class Reader extends JsonDeserializer<NetworkConfig> {
    private static final ObjectMapper PLAIN = new ObjectMapper();

    @Override
    public NetworkConfig deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      JsonNode node = ctx.readTree(p);
      if (!(node instanceof ObjectNode obj)) {
        throw ctx.weirdStringException(String.valueOf(node), NetworkConfig.class,
            "expected a mapping with 'type' and the architecture's options");
      }
      JsonNode type = obj.get("type");
      if (type == null || !type.isTextual()) {
        throw new InvalidValue("type", type == null ? "(missing)" : type, "the name of a registered architecture");
      }
      ObjectNode rest = obj.deepCopy();
      rest.remove("type");
      @SuppressWarnings("unchecked")
      Map<String, Object> options = PLAIN.convertValue(rest, LinkedHashMap.class);
      return new NetworkConfig(type.asText(), options);
    }
  }
}
