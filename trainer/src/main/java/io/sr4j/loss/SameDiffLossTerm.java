package io.sr4j.loss;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A loss term written as a SameDiff graph: a subclass states the scalar loss of {@code sr} and {@code hr}
 * ([N, C, H, W]) with ND4J's autodiff ops, and gets dLoss/dSr from SameDiff's reverse mode. SameDiff differentiates
 * with respect to variables, not placeholders, so {@code sr} is a variable whose array is the prediction of each call
 * and {@code hr} a placeholder; the graph is built once per data type and batch shape (training has one shape; float
 * in training, double in gradient checks) and reused. This route costs graph execution overhead per call
 * ({@code sr bench loss} measures it; the README gives numbers); a term on a hot path can implement {@link LossTerm}
 * with a hand-written gradient instead.
 */
public abstract class SameDiffLossTerm implements LossTerm {
  private static final String SR = "sr";
  private static final String HR = "hr";
  private static final String LOSS = "loss";

  private final String name;
  private final double weight;
  private final Map<String, SameDiff> graphs = new HashMap<>(); // by data type and shape

  protected SameDiffLossTerm(String name, double weight) {
    this.name = name;
    this.weight = weight;
  }

  /** The unweighted scalar loss of {@code sr} against {@code hr}, both [N, C, H, W] placeholders of {@code sd}. */
  protected abstract SDVariable define(SameDiff sd, SDVariable sr, SDVariable hr);

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final double weight() {
    return weight;
  }

  private SameDiff graph(DataType type, long[] shape) {
    return graphs.computeIfAbsent(type + java.util.Arrays.toString(shape), k -> {
      SameDiff sd = SameDiff.create();
      SDVariable sr = sd.var(SR, Nd4j.zeros(type, shape));
      SDVariable hr = sd.placeHolder(HR, type, shape);
      SDVariable loss = define(sd, sr, hr).rename(LOSS);
      sd.setLossVariables(loss);
      SameDiffExecution.createGradientFunctionQuietly(sd);
      return sd;
    });
  }

  @Override
  public final LossResult compute(INDArray sr, INDArray hr) {
    if (!java.util.Arrays.equals(sr.shape(), hr.shape()) || sr.rank() != 4) {
      throw new IllegalArgumentException(name + ": needs two [N, C, H, W] arrays of the same shape, got "
          + java.util.Arrays.toString(sr.shape()) + " and " + java.util.Arrays.toString(hr.shape()));
    }
    SameDiff sd = graph(sr.dataType(), sr.shape());
    sd.getVariable(SR).setArray(sr);
    OutAndGrad r = SameDiffExecution.outputsAndGradients(sd, Map.of(HR, hr.castTo(sr.dataType())), List.of(LOSS),
        List.of(SR));
    double value = r.getOutputs().get(LOSS).getDouble(0);
    INDArray grad = r.getGradients().get(SR).dup();
    return new LossResult(value, grad).scaled(weight);
  }
}
