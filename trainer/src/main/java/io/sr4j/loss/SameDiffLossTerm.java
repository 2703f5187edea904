package io.sr4j.loss;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A loss term written as a SameDiff graph: a subclass states the scalar loss of placeholders {@code sr} and
 * {@code hr} ([N, C, H, W], any size) with ND4J's autodiff ops, and gets dLoss/dSr from SameDiff's reverse mode.
 * The graph is built once per data type (float in training, double in gradient checks) and reused. This route costs
 * graph execution overhead per call (see the README's loss-term section for measured numbers); a term on a hot path
 * can implement {@link LossTerm} with a hand-written gradient instead.
 */
public abstract class SameDiffLossTerm implements LossTerm {
  private static final String SR = "sr";
  private static final String HR = "hr";
  private static final String LOSS = "loss";

  private final String name;
  private final double weight;
  private final Map<DataType, SameDiff> graphs = new EnumMap<>(DataType.class);

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

  private SameDiff graph(DataType type) {
    return graphs.computeIfAbsent(type, t -> {
      SameDiff sd = SameDiff.create();
      SDVariable sr = sd.placeHolder(SR, t, -1, -1, -1, -1);
      SDVariable hr = sd.placeHolder(HR, t, -1, -1, -1, -1);
      SDVariable loss = define(sd, sr, hr).rename(LOSS);
      sd.setLossVariables(loss);
      return sd;
    });
  }

  @Override
  public final LossResult compute(INDArray sr, INDArray hr) {
    if (!java.util.Arrays.equals(sr.shape(), hr.shape()) || sr.rank() != 4) {
      throw new IllegalArgumentException(name + ": needs two [N, C, H, W] arrays of the same shape, got "
          + java.util.Arrays.toString(sr.shape()) + " and " + java.util.Arrays.toString(hr.shape()));
    }
    OutAndGrad r = graph(sr.dataType()).calculateGradientsAndOutputs(Map.of(SR, sr, HR, hr.castTo(sr.dataType())),
        List.of(LOSS), List.of(SR));
    double value = r.getOutputs().get(LOSS).getDouble(0);
    INDArray grad = r.getGradients().get(SR).dup();
    return new LossResult(value, grad).scaled(weight);
  }
}
