package io.sr4j.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.config.LossConfig;
import io.sr4j.data.metrics.Ssim;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every pixel loss: analytic gradient against central finite differences, in double precision. */
class PixelLossGradientTest {
  static Stream<Arguments> losses() {
    return Stream.of(
        Arguments.of("L1Loss", "mean", 1.0),
        Arguments.of("L1Loss", "sum", 0.5),
        Arguments.of("MSELoss", "mean", 1.0),
        Arguments.of("MSELoss", "sum", 2.0),
        Arguments.of("CharbonnierLoss", "mean", 1.0),
        Arguments.of("SSIMLoss", "mean", 1.0));
  }

  private static INDArray random(long seed, long... shape) {
    Nd4j.getRandom().setSeed(seed);
    return Nd4j.rand(DataType.DOUBLE, shape);
  }

  @ParameterizedTest(name = "{0} {1} x{2}")
  @MethodSource("losses")
  void analyticGradientMatchesFiniteDifferences(String type, String reduction, double weight) {
    LossTerm loss = LossTerms.build("pixel_opt", new LossConfig(type, weight, reduction, 1e-3), null);
    INDArray pred = random(1, 2, 2, 13, 12);
    INDArray target = random(2, 2, 2, 13, 12);
    LossResult r = loss.compute(pred, target);
    double h = 1e-6;
    Nd4j.getRandom().setSeed(3);
    int checked = 0;
    for (int k = 0; k < 60; k++) {
      long i = Nd4j.getRandom().nextInt((int) pred.length());
      double old = pred.getDouble(i);
      pred.putScalar(i, old + h);
      double up = loss.compute(pred, target).value();
      pred.putScalar(i, old - h);
      double down = loss.compute(pred, target).value();
      pred.putScalar(i, old);
      double numeric = (up - down) / (2 * h);
      double analytic = r.gradient().getDouble(i);
      assertEquals(numeric, analytic, 1e-6 * Math.max(1, Math.abs(numeric)), type + " element " + i);
      checked++;
    }
    assertEquals(60, checked);
  }

  @Test
  void valuesMatchTheirDefinitions() {
    INDArray a = Nd4j.createFromArray(new double[] {0.0, 0.5, 1.0, 0.25}).reshape(1, 1, 2, 2);
    INDArray b = Nd4j.createFromArray(new double[] {0.5, 0.5, 0.0, 0.75}).reshape(1, 1, 2, 2);
    assertEquals((0.5 + 0 + 1 + 0.5) / 4, LossTerms.build("pixel_opt", new LossConfig("L1Loss", 1.0, "mean", null), null).compute(a, b).value(), 1e-12);
    assertEquals((0.25 + 0 + 1 + 0.25) / 4, LossTerms.build("pixel_opt", new LossConfig("MSELoss", 1.0, "mean", null), null).compute(a, b).value(), 1e-12);
    double eps = 1e-2;
    double ch = (Math.sqrt(0.25 + eps) + Math.sqrt(eps) + Math.sqrt(1 + eps) + Math.sqrt(0.25 + eps)) / 4;
    assertEquals(ch, LossTerms.build("pixel_opt", new LossConfig("CharbonnierLoss", 1.0, "mean", eps), null).compute(a, b).value(), 1e-12);
    assertEquals(3 * 2.0, LossTerms.build("pixel_opt", new LossConfig("L1Loss", 3.0, "sum", null), null).compute(a, b).value(), 1e-12);
  }

  /** The SSIM loss is 1 - SSIM with the evaluation metric's definition (on [0,1] instead of [0,255] data). */
  @Test
  void ssimLossAgreesWithTheEvaluationMetric() {
    INDArray x = random(4, 1, 1, 20, 17);
    INDArray y = x.add(random(5, 1, 1, 20, 17).muli(0.2)).divi(1.2);
    double loss = new SsimLoss("ssim", 1).compute(x, y).value();
    double ssim = Ssim.of(x.reshape(340).mul(255).toDoubleVector(), y.reshape(340).mul(255).toDoubleVector(), 17, 20, 255);
    assertEquals(1 - ssim, loss, 1e-10);
    assertTrue(loss > 0.01);
    assertEquals(0, new SsimLoss("ssim", 1).compute(x, x).value(), 1e-12);
  }
}
