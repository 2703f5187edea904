package io.sr4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sr4j.config.ConfigLoader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns repeated {@code --opt key=value} arguments into an options map (values parsed as YAML). */
final class ArchOptionsParser {
  private ArchOptionsParser() {}

  static Map<String, Object> parse(List<String> assignments) {
    ObjectNode tree = ConfigLoader.mapper().createObjectNode();
    for (String a : assignments) {
      ConfigLoader.applyOverride(tree, a);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = ConfigLoader.mapper().convertValue(tree, LinkedHashMap.class);
    return map;
  }
}
