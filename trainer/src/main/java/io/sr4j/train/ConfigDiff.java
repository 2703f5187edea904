package io.sr4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import io.sr4j.config.ConfigLoader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The keys in which two resolved configs differ, as dotted paths (train.total_iter, val.metrics.psnr.crop_border). */
final class ConfigDiff {
  private ConfigDiff() {}

  static List<String> changedKeys(String yamlA, String yamlB) {
    Map<String, String> a = new TreeMap<>();
    Map<String, String> b = new TreeMap<>();
    try {
      flatten(ConfigLoader.mapper().readTree(yamlA), "", a);
      flatten(ConfigLoader.mapper().readTree(yamlB), "", b);
    } catch (java.io.IOException e) {
      return List.of("(unreadable config in the checkpoint)");
    }
    List<String> changed = new ArrayList<>();
    for (String k : a.keySet()) {
      if (!a.get(k).equals(b.get(k))) {
        changed.add(k);
      }
    }
    for (String k : b.keySet()) {
      if (!a.containsKey(k)) {
        changed.add(k);
      }
    }
    changed.sort(null);
    return changed;
  }

  private static void flatten(JsonNode node, String path, Map<String, String> out) {
    if (node == null) {
      return;
    }
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        flatten(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out);
      }
    } else {
      out.put(path, node.toString());
    }
  }
}
