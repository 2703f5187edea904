package io.sr4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.arch.Architectures;
import io.sr4j.loss.AdversarialLoss;
import io.sr4j.loss.GanLoss;
import io.sr4j.nn.Graphs;
import io.sr4j.nn.InputGradientGraph;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The discriminator's update reuses the passes the generator's adversarial term kept (D on the SR batch, its state
 * left after the backprop to the SR batch, and for the relativistic form D's twin on the HR batch): the same losses
 * and the same new weights, bit for bit, as when it runs every pass itself.
 */
class DiscriminatorUpdateTest {

  /** Every zoo discriminator: the VGG-128 with BatchNorm (its batch statistics matter) and SRGAN's. */
  private static InputGradientGraph discriminator(String arch) {
    return Graphs.initialised(Architectures.get(arch).configuration(Map.of("num_feat", 4, "input_size", 32), arch), 3);
  }

  @ParameterizedTest
  @CsvSource({"vgg128, true", "vgg128, false", "srgan_d, true", "srgan_d, false"})
  void theKeptPassesGiveTheSameUpdateAsFreshOnes(String arch, boolean relativistic) {
    Nd4j.getRandom().setSeed(5);
    INDArray sr = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
    INDArray hr = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
    GanLoss gan = new GanLoss("vanilla", relativistic, 1.0, 0.0, 0.005);

    InputGradientGraph kept = discriminator(arch);
    INDArray start = kept.params().dup();
    AdversarialLoss keptTerm = new AdversarialLoss("gan", kept, gan);
    keptTerm.compute(sr, hr);
    Map<String, Double> keptLosses = new DiscriminatorUpdate(keptTerm).run(sr.dup(), hr, 0, 0);

    InputGradientGraph fresh = discriminator(arch);
    AdversarialLoss freshTerm = new AdversarialLoss("gan", fresh, gan);
    freshTerm.compute(sr, hr);
    assertNotNull(freshTerm.takeFakeLogits()); // dropped: the update runs D on the SR batch itself
    assertEquals(relativistic, freshTerm.takeRealLogits() != null); // and on the HR batch
    fresh.clearLayersStates();
    Map<String, Double> freshLosses = new DiscriminatorUpdate(freshTerm).run(sr.dup(), hr, 0, 0);

    assertEquals(freshLosses, keptLosses);
    assertEquals(0.0, kept.params().sub(fresh.params()).amaxNumber().doubleValue(), 0.0, "D's new weights");
    assertTrue(kept.params().sub(start).amaxNumber().doubleValue() > 0, "D was updated");
  }

  /** The vanilla form does not run D on the HR batch in the generator's step, so it keeps no HR pass. */
  @ParameterizedTest
  @CsvSource({"vgg128"})
  void theVanillaFormKeepsNoHrPass(String arch) {
    Nd4j.getRandom().setSeed(6);
    AdversarialLoss term = new AdversarialLoss("gan", discriminator(arch), new GanLoss("vanilla", false, 1.0, 0.0,
        0.005));
    term.compute(Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32), Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32));
    assertNull(term.takeRealLogits());
    assertNotNull(term.takeFakeLogits());
  }
}
