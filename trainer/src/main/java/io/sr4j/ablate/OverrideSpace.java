package io.sr4j.ablate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;

/**
 * An Arbiter parameter space whose value is a map of named values (config key paths, the variant, the seed), one leaf
 * space per name. Arbiter's generators number the leaves in this order; in a sequential grid the first leaf varies
 * fastest. Single values are {@link FixedValue}s: a single-valued discrete or integer space breaks Arbiter's grid.
 */
final class OverrideSpace implements ParameterSpace<Map<String, Object>> {
  private final LinkedHashMap<String, ParameterSpace<?>> leaves;

  OverrideSpace(Map<String, ParameterSpace<?>> leaves) {
    this.leaves = new LinkedHashMap<>(leaves);
  }

  /** The leaf for a list of alternatives: the value itself when there is one, else a discrete space over them. */
  static ParameterSpace<?> choice(List<?> values) {
    return values.size() == 1 ? new FixedValue<>(values.get(0)) : new DiscreteParameterSpace<>(new ArrayList<>(values));
  }

  @Override
  public Map<String, Object> getValue(double[] parameterValues) {
    Map<String, Object> out = new LinkedHashMap<>();
    leaves.forEach((name, space) -> out.put(name, space.getValue(parameterValues)));
    return out;
  }

  @Override
  public int numParameters() {
    int n = 0;
    for (ParameterSpace<?> s : leaves.values()) {
      n += s.numParameters();
    }
    return n;
  }

  @Override
  public List<ParameterSpace> collectLeaves() {
    List<ParameterSpace> out = new ArrayList<>();
    for (ParameterSpace<?> s : leaves.values()) {
      out.addAll(s.collectLeaves());
    }
    return out;
  }

  @Override
  public Map<String, ParameterSpace> getNestedSpaces() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(leaves));
  }

  @Override
  public boolean isLeaf() {
    return false;
  }

  @Override
  public void setIndices(int... indices) {
    throw new UnsupportedOperationException("OverrideSpace is not a leaf; Arbiter numbers its leaves");
  }
}
