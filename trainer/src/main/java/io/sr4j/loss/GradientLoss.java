package io.sr4j.loss;

import io.sr4j.config.Check;
import io.sr4j.config.LossTermConfig;
import java.util.List;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Image-gradient loss: the mean absolute difference of the horizontal and of the vertical finite differences of SR and
 * HR, {@code mean|dx(sr) - dx(hr)| + mean|dy(sr) - dy(hr)|} with {@code dx(x)[i, j] = x[i, j + 1] - x[i, j]}. It
 * penalises blurred or displaced edges more directly than a pixel loss (the gradient branch of SPSR, Ma et al.
 * CVPR 2020, uses the same idea). Written only as a SameDiff graph: its gradient comes from autodiff.
 */
public final class GradientLoss extends SameDiffLossTerm {
  /** {@code type: GradientLoss}, {@code loss_weight} (default 1). */
  public record Config(String type, Double lossWeight) implements LossTermConfig {
    public Config {
      type = Check.oneOf("type", type, "GradientLoss", List.of("GradientLoss"));
      lossWeight = Check.nonNegative("loss_weight", lossWeight, 1.0);
    }

    @Override
    public double weight() {
      return lossWeight;
    }

    @Override
    public String describe() {
      return "GradientLoss (L1 of image gradients, autodiff) x " + lossWeight;
    }
  }

  public GradientLoss(String name, Config c, LossTerms.Context ctx) {
    super(name, c.lossWeight());
  }

  @Override
  protected SDVariable define(SameDiff sd, SDVariable sr, SDVariable hr) {
    SDVariable d = sr.sub(hr); // dx(sr) - dx(hr) = dx(sr - hr)
    SDVariable dx = d.get(SDIndex.all(), SDIndex.all(), SDIndex.all(), SDIndex.interval(1L, null))
        .sub(d.get(SDIndex.all(), SDIndex.all(), SDIndex.all(), SDIndex.interval(0L, -1L)));
    SDVariable dy = d.get(SDIndex.all(), SDIndex.all(), SDIndex.interval(1L, null), SDIndex.all())
        .sub(d.get(SDIndex.all(), SDIndex.all(), SDIndex.interval(0L, -1L), SDIndex.all()));
    return sd.math().abs(dx).mean().add(sd.math().abs(dy).mean());
  }
}
