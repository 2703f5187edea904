package io.sr4j.ablate;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.sr4j.config.Check;
import io.sr4j.config.InvalidValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ablation or tuning spec, as read from YAML (configs/README.md, "Ablation and tuning specs"): a base training
 * config and how candidates differ from it. {@code variants} is an ordered list of named override maps (by default a
 * cumulative chain: each variant starts from the previous one), {@code grid} a factorial design (key path -> values),
 * {@code search} the space of a random search ({@code sr tune}); {@code seeds} repeats every candidate with these
 * {@code manual_seed} values; {@code metrics} chooses the ranking key and its direction; {@code budget} the
 * iterations of every candidate and an optional wall-clock limit per candidate.
 */
public record AblationSpec(
    String name,
    String base,
    Map<String, JsonNode> set,
    List<Variant> variants,
    Boolean cumulative,
    Map<String, List<JsonNode>> grid,
    Map<String, SearchRange> search,
    Integer maxCandidates,
    Long seed,
    List<Long> seeds,
    Ranking metrics,
    Budget budget) {

  /** A named set of overrides ({@code key.path: value}); {@code note} is shown in the results table. */
  public record Variant(String name, Map<String, JsonNode> set, String note) {
    public Variant {
      name = Check.required("name", name);
      checkName("name", name);
      set = set == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(set));
    }
  }

  /** The validation key that ranks candidates ({@code <set>_<metric>}) and its direction (else the metric's own). */
  public record Ranking(String rank, String better) {
    public Ranking {
      if (better != null) {
        better = Check.oneOf("better", better, null, List.of("higher", "lower"));
      }
    }
  }

  /**
   * Iterations of every candidate ({@code train.total_iter}) and a wall-clock limit per candidate in minutes, checked
   * after every step inside the run (the run then stops with a checkpoint and counts as done).
   */
  public record Budget(Long iterations, Double maxMinutes) {
    public Budget {
      if (iterations != null) {
        Check.longAtLeast("iterations", iterations, 1, 1);
      }
      if (maxMinutes != null) {
        Check.positive("max_minutes", maxMinutes, 1);
      }
    }
  }

  /**
   * One dimension of a random search: exactly one of {@code log_uniform: [min, max]} (rates), {@code uniform: [min,
   * max]}, {@code integer: [min, max]} (inclusive) or {@code choice: [values...]}.
   */
  public record SearchRange(@JsonProperty("log_uniform") List<Double> logUniform, List<Double> uniform,
      List<Long> integer, List<JsonNode> choice) {
    public SearchRange {
      int given = (logUniform != null ? 1 : 0) + (uniform != null ? 1 : 0) + (integer != null ? 1 : 0)
          + (choice != null ? 1 : 0);
      if (given != 1) {
        throw new InvalidValue("search", given + " kinds of range", "exactly one of log_uniform, uniform, integer, choice");
      }
      checkRange("log_uniform", logUniform, true);
      checkRange("uniform", uniform, false);
      if (integer != null && (integer.size() != 2 || integer.get(0) > integer.get(1))) {
        throw new InvalidValue("integer", integer, "[min, max] with min <= max");
      }
      if (choice != null && choice.isEmpty()) {
        throw new InvalidValue("choice", "[]", "at least one value");
      }
    }

    private static void checkRange(String key, List<Double> r, boolean positive) {
      if (r != null && (r.size() != 2 || !(r.get(0) < r.get(1)) || (positive && !(r.get(0) > 0)))) {
        throw new InvalidValue(key, r, "[min, max] with min < max" + (positive ? " and min > 0" : ""));
      }
    }
  }

  public AblationSpec {
    base = Check.required("base", base);
    if (name != null) {
      checkName("name", name);
    }
    set = set == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(set));
    variants = variants == null ? List.of() : List.copyOf(variants);
    cumulative = cumulative == null || cumulative;
    grid = grid == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(grid));
    search = search == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(search));
    seeds = seeds == null ? List.of() : List.copyOf(seeds);
    metrics = metrics == null ? new Ranking(null, null) : metrics;
    budget = budget == null ? new Budget(null, null) : budget;
    Set<String> names = new HashSet<>();
    for (Variant v : variants) {
      if (!names.add(v.name())) {
        throw new InvalidValue("variants", v.name(), "unique variant names (" + v.name() + " appears twice)");
      }
    }
    for (Map.Entry<String, List<JsonNode>> g : grid.entrySet()) {
      if (g.getValue() == null || g.getValue().isEmpty()) {
        throw new InvalidValue("grid." + g.getKey(), "[]", "a list of at least one value");
      }
    }
    if (new HashSet<>(seeds).size() != seeds.size()) {
      throw new InvalidValue("seeds", seeds, "distinct seeds");
    }
    if (maxCandidates != null) {
      Check.intAtLeast("max_candidates", maxCandidates, 1, 1);
    }
  }

  /** Whether this is a random search ({@code sr tune}) rather than a variant chain or grid ({@code sr ablate}). */
  public boolean isSearch() {
    return !search.isEmpty();
  }

  /**
   * The override maps of the variants in order, each including its predecessors' when the chain is cumulative (in the
   * order they apply; a key replaces earlier keys below it).
   */
  public List<Map<String, JsonNode>> variantOverrides() {
    List<Map<String, JsonNode>> out = new ArrayList<>();
    Map<String, JsonNode> acc = new LinkedHashMap<>();
    for (Variant v : variants) {
      Map<String, JsonNode> mine = cumulative ? acc : new LinkedHashMap<>();
      v.set().forEach((key, value) -> {
        // a key replaces what it covers: network_g replaces an earlier network_g.batch_norm
        mine.keySet().removeIf(k -> k.equals(key) || k.startsWith(key + "."));
        mine.put(key, value);
      });
      out.add(Collections.unmodifiableMap(new LinkedHashMap<>(mine)));
    }
    return out;
  }

  static void checkName(String key, String name) {
    if (!name.matches("[A-Za-z0-9_.-]+")) {
      throw new InvalidValue(key, "'" + name + "'", "letters, digits, '_', '-' and '.' (it names run folders)");
    }
  }
}
