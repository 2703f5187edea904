package io.sr4j.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.config.ConfigLoader;
import io.sr4j.config.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Loss terms written as SameDiff graphs: autodiff gives the hand-written values and gradients. */
class SameDiffLossTermTest {
  @TempDir Path dir;

  private static INDArray random(long seed, long... shape) {
    Nd4j.getRandom().setSeed(seed);
    return Nd4j.rand(DataType.DOUBLE, shape);
  }

  /** Largest |a - b| / max(|b|, 1e-12) over all elements. */
  private static double maxRelativeDifference(INDArray a, INDArray b) {
    return Transforms.abs(a.sub(b), false).divi(Transforms.max(Transforms.abs(b, true), 1e-12, false))
        .maxNumber().doubleValue();
  }

  @Test
  void charbonnierThroughAutodiffEqualsTheHandWrittenTerm() {
    INDArray sr = random(1, 2, 3, 9, 11);
    INDArray hr = random(2, 2, 3, 9, 11);
    double eps = 1e-3;
    LossResult hand = new ElementwiseLoss("pix", ElementwiseLoss.Kind.CHARBONNIER, "mean", eps, 0.7).compute(sr, hr);
    LossResult auto = new CharbonnierAutodiff("pix", eps, 0.7).compute(sr, hr);
    assertArrayEquals(sr.shape(), auto.gradient().shape());
    // measured in double: values agree to the last bit or two, gradients to ~1e-16 relative
    assertEquals(hand.value(), auto.value(), 1e-15 * Math.abs(hand.value()));
    double gradDiff = maxRelativeDifference(auto.gradient(), hand.gradient());
    assertTrue(gradDiff < 1e-12, "max relative gradient difference " + gradDiff);
    FiniteDifferences.check(new CharbonnierAutodiff("pix", eps, 0.7), sr, hr, 60, 1e-6);
  }

  @Test
  void autodiffTermsRunInFloatAsInTraining() {
    INDArray sr = random(3, 1, 3, 8, 8).castTo(DataType.FLOAT);
    INDArray hr = random(4, 1, 3, 8, 8).castTo(DataType.FLOAT);
    LossResult hand = new ElementwiseLoss("pix", ElementwiseLoss.Kind.CHARBONNIER, "mean", 1e-6, 1).compute(sr, hr);
    LossResult auto = new CharbonnierAutodiff("pix", 1e-6, 1).compute(sr, hr);
    assertEquals(DataType.FLOAT, auto.gradient().dataType());
    assertEquals(hand.value(), auto.value(), 1e-6);
    assertTrue(maxRelativeDifference(auto.gradient().castTo(DataType.DOUBLE), hand.gradient().castTo(DataType.DOUBLE)) < 1e-5);
  }

  @Test
  void gradientLossMatchesItsDefinitionAndFiniteDifferences() {
    INDArray sr = Nd4j.createFromArray(new double[] {0, 1, 3, 2, 2, 2}).reshape(1, 1, 2, 3);
    INDArray hr = Nd4j.zeros(DataType.DOUBLE, 1, 1, 2, 3);
    // dx: (1, 2, 0, 0) -> mean |.| = 0.75; dy: (2, 1, -1) -> mean 4/3
    GradientLoss loss = new GradientLoss("gradient", new GradientLoss.Config(null, 2.0), null);
    assertEquals(2.0 * (0.75 + 4.0 / 3), loss.compute(sr, hr).value(), 1e-12);
    assertEquals(0, loss.compute(hr, hr).value(), 0);
    // a constant offset has the same gradients
    assertEquals(0, loss.compute(hr.add(0.3), hr).value(), 1e-12);
    FiniteDifferences.check(loss, random(5, 2, 3, 7, 6), random(6, 2, 3, 7, 6), 80, 1e-6);
  }

  @Test
  void aSectionOfTheNewTypeBuildsTheTermThroughTheRegistry() throws IOException {
    Path yml = dir.resolve("g.yml");
    Files.writeString(yml, """
        name: g
        scale: 3
        datasets: {train: {type: SRCNNSubImageDataset, dataroot_gt: T91}}
        network_g: {type: srcnn, scale: 3, num_in_ch: 1, padding: valid}
        train:
          total_iter: 1
          pixel_opt: {type: MSELoss}
          gradient_opt: {type: GradientLoss, loss_weight: 0.1}
        """);
    TrainConfig cfg = ConfigLoader.load(yml, List.of());
    List<LossTerm> terms = LossTerms.build(cfg.train().losses(), new LossTerms.Context(cfg, null));
    assertEquals(List.of("pix", "gradient"), terms.stream().map(LossTerm::name).toList());
    assertTrue(terms.get(1) instanceof GradientLoss);
    assertEquals(0.1, terms.get(1).weight(), 0);
  }
}
