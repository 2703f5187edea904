package io.sr4j.ckpt;

import io.sr4j.arch.Architecture;
import io.sr4j.arch.Architectures;
import io.sr4j.data.BadInputException;
import io.sr4j.nn.InputGradientGraph;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ESRGAN's network interpolation: {@code theta = (1 - alpha) * theta_A + alpha * theta_B} over every parameter of
 * two generators of the same architecture and options, BatchNorm running statistics included (they are parameters in
 * DL4J). Mixing architectures or options is refused with the first mismatch named.
 */
public final class NetworkInterpolation {
  private NetworkInterpolation() {}

  /** Fails unless {@code a} and {@code b} are the same network shape, naming the first difference. */
  public static void checkCompatible(Checkpoint.Loaded a, Checkpoint.Loaded b, String nameA, String nameB) {
    if (!a.card().arch().equals(b.card().arch())) {
      throw new BadInputException("cannot interpolate: " + nameA + " is " + a.card().arch() + ", " + nameB + " is "
          + b.card().arch());
    }
    Architecture<?> arch = Architectures.get(a.card().arch());
    Map<String, Object> optionsA = a.card().options();
    Map<String, Object> optionsB = b.card().options();
    String networkA = graphJson(arch, optionsA);
    if (!networkA.equals(graphJson(arch, optionsB))) {
      // Name the first option whose value from B changes A's network (an option left out means its default, so
      // "num_in_ch: 3" in one card and no num_in_ch in the other is not a difference).
      TreeSet<String> keys = new TreeSet<>(optionsA.keySet());
      keys.addAll(optionsB.keySet());
      for (String k : keys) {
        Object va = optionsA.get(k);
        Object vb = optionsB.get(k);
        if (String.valueOf(va).equals(String.valueOf(vb))) {
          continue; // same value written the same way: no network to build
        }
        Map<String, Object> aWithValueOfB = new HashMap<>(optionsA);
        if (vb == null) {
          aWithValueOfB.remove(k);
        } else {
          aWithValueOfB.put(k, vb);
        }
        if (!graphJson(arch, aWithValueOfB).equals(networkA)) {
          throw new BadInputException("cannot interpolate: option " + k + " is " + (va == null ? "the default" : va)
              + " in " + nameA + " but " + (vb == null ? "the default" : vb) + " in " + nameB);
        }
      }
      throw new BadInputException("cannot interpolate: the options of " + nameA + " " + optionsA + " and of " + nameB
          + " " + optionsB + " build different networks");
    }
    Map<String, INDArray> pa = a.network().paramTable();
    Map<String, INDArray> pb = b.network().paramTable();
    for (Map.Entry<String, INDArray> e : pa.entrySet()) {
      INDArray other = pb.get(e.getKey());
      if (other == null) {
        throw new BadInputException("cannot interpolate: missing key " + e.getKey() + " in " + nameB);
      }
      if (!Arrays.equals(e.getValue().shape(), other.shape())) {
        throw new BadInputException("cannot interpolate: " + e.getKey() + " has shape " + Arrays.toString(e.getValue().shape())
            + " in " + nameA + " but " + Arrays.toString(other.shape()) + " in " + nameB);
      }
    }
    for (String k : pb.keySet()) {
      if (!pa.containsKey(k)) {
        throw new BadInputException("cannot interpolate: extra key " + k + " in " + nameB + " (not in " + nameA + ")");
      }
    }
  }

  /** The network an architecture builds from these options, as comparable text (no weights). */
  private static String graphJson(Architecture<?> arch, Map<String, Object> options) {
    return arch.configuration(options, arch.name() + " options").toJson();
  }

  /** A new network with {@code (1 - alpha) * a + alpha * b} as its parameters. */
  public static InputGradientGraph interpolate(InputGradientGraph a, InputGradientGraph b, double alpha) {
    return io.sr4j.nn.Graphs.owning(a.getConfiguration().clone(), a.params().mul(1 - alpha).addi(b.params().mul(alpha)));
  }
}
