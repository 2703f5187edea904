package io.sr4j.arch;

import io.sr4j.config.ConfigLoader;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;

/**
 * A network architecture registered under the name YAML configs and {@code --arch} use. It turns its options
 * record into a DL4J graph configuration; it knows nothing about losses or training (updaters are set by the
 * trainer on the built configuration).
 *
 * @param <O> the immutable options record; its components are the option keys in snake_case
 */
public interface Architecture<O extends Record> {
  /** Registered name, e.g. "rrdbnet". */
  String name();

  /** One line for listings. */
  String description();

  Class<O> optionsType();

  /** The graph for these options; parameter layout and names follow the reference implementation. */
  ComputationGraphConfiguration configuration(O options);

  /** Options from snake_case keys (unknown keys, wrong types and bad values are rejected with the key path). */
  default O options(Map<String, ?> values, String where) {
    return ConfigLoader.bind(ConfigLoader.mapper().valueToTree(values), optionsType(), where);
  }

  /** Options written back as snake_case keys (for checkpoints and model-info). */
  default Map<String, Object> optionMap(O options) {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = ConfigLoader.mapper().convertValue(options, Map.class);
    return m;
  }

  /** Builds from untyped options in one step. */
  default ComputationGraphConfiguration configuration(Map<String, ?> values, String where) {
    return configuration(options(values, where));
  }
}
