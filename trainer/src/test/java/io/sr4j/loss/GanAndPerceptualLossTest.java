package io.sr4j.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.arch.Architectures;
import io.sr4j.nn.InputGradientGraph;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Adversarial and perceptual losses: analytic gradients against central finite differences (double precision). */
class GanAndPerceptualLossTest {
  /** Central differences at every element (at most 24, spread evenly) against the analytic gradient. */
  private static void assertGradient(INDArray x, INDArray analytic, ToDoubleFunction<INDArray> f, String what) {
    double h = 1e-6;
    long stride = Math.max(1, x.length() / 24);
    for (long i = 0; i < x.length(); i += stride) {
      double old = x.getDouble(i);
      x.putScalar(i, old + h);
      double up = f.applyAsDouble(x);
      x.putScalar(i, old - h);
      double down = f.applyAsDouble(x);
      x.putScalar(i, old);
      double numeric = (up - down) / (2 * h);
      assertEquals(numeric, analytic.getDouble(i), 1e-6 * Math.max(1, Math.abs(numeric)), what + " element " + i);
    }
  }

  @ParameterizedTest(name = "{0} relativistic={1}")
  @CsvSource({"vanilla, false", "vanilla, true", "lsgan, false", "lsgan, true", "hinge, false", "hinge, true"})
  void gradientsMatchFiniteDifferences(String type, boolean relativistic) {
    GanLoss loss = new GanLoss(type, relativistic, 0.9, 0.1, 5e-3);
    Nd4j.getRandom().setSeed(3);
    INDArray real = Nd4j.randn(DataType.DOUBLE, 5, 1).muli(2);
    INDArray fake = Nd4j.randn(DataType.DOUBLE, 5, 1).muli(2);
    double fakeMean = fake.meanNumber().doubleValue();
    double realMean = real.meanNumber().doubleValue();
    assertGradient(real, loss.discriminatorReal(real, fakeMean).gradient(),
        r -> loss.discriminatorReal(r, fakeMean).value(), type + " dD/dreal");
    assertGradient(fake, loss.discriminatorFake(fake, realMean).gradient(),
        f -> loss.discriminatorFake(f, realMean).value(), type + " dD/dfake");
    INDArray realConst = real.dup();
    LossResult g = loss.generator(realConst, fake);
    assertGradient(fake, g.gradient(), f -> loss.generator(realConst, f).value(),
        type + " dG/dfake (through the batch mean when relativistic)");
  }

  @Test
  void standardVanillaValuesAreCrossEntropies() {
    GanLoss loss = new GanLoss("vanilla", false, 1.0, 0.0, 1.0);
    INDArray real = Nd4j.createFromArray(new double[] {2.0}).reshape(1, 1);
    INDArray fake = Nd4j.createFromArray(new double[] {-1.0}).reshape(1, 1);
    double expected = Math.log(1 + Math.exp(-2.0)) + Math.log(1 + Math.exp(-1.0));
    assertEquals(expected, loss.discriminatorReal(real, 0).value() + loss.discriminatorFake(fake, 0).value(), 1e-12);
    assertEquals(Math.log(1 + Math.exp(1.0)), loss.generator(real, fake).value(), 1e-12);
    // relativistic: D sees real - mean(fake) = 3 and fake - mean(real) = -3
    GanLoss ra = new GanLoss("vanilla", true, 1.0, 0.0, 1.0);
    assertEquals(0.5 * Math.log(1 + Math.exp(-3.0)), ra.discriminatorReal(real, -1.0).value(), 1e-12);
    assertEquals(0.5 * Math.log(1 + Math.exp(-3.0)), ra.discriminatorFake(fake, 2.0).value(), 1e-12);
    assertEquals(0.5 * (Math.log(1 + Math.exp(3.0)) + Math.log(1 + Math.exp(3.0))), ra.generator(real, fake).value(), 1e-12);
  }

  @Test
  void perceptualGradientMatchesFiniteDifferences() {
    InputGradientGraph vgg = new InputGradientGraph(Architectures.get("vgg19").configuration(
        Map.of("layers", List.of("conv1_2", "relu2_1")), "vgg19"));
    vgg.getConfiguration().setDataType(DataType.DOUBLE);
    vgg = new InputGradientGraph(vgg.getConfiguration());
    vgg.init();
    Nd4j.getRandom().setSeed(9);
    vgg.params().assign(Nd4j.rand(DataType.DOUBLE, vgg.params().shape()).subi(0.5).muli(0.3));
    for (String criterion : List.of("l1", "l2")) {
      PerceptualLoss loss = new PerceptualLoss("percep", vgg, List.of(1.0, 0.5), criterion, 2.0);
      INDArray sr = Nd4j.rand(DataType.DOUBLE, 2, 3, 6, 4);
      INDArray hr = Nd4j.rand(DataType.DOUBLE, 2, 3, 6, 4);
      LossResult r = loss.compute(sr, hr);
      assertTrue(r.value() > 0);
      assertGradient(sr, r.gradient().dup(), x -> loss.compute(x, hr).value(), "perceptual " + criterion);
    }
  }
}
