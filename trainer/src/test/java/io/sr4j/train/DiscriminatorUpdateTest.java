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
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The discriminator's update reuses the HR pass the generator's relativistic adversarial term kept: the same losses
 * and the same new weights, bit for bit, as when it runs D on the HR batch itself.
 */
class DiscriminatorUpdateTest {

  private static InputGradientGraph discriminator() {
    return Graphs.initialised(Architectures.get("vgg128").configuration(Map.of("num_feat", 4, "input_size", 32),
        "vgg128"), 3); // with BatchNorm: the kept pass's batch statistics matter
  }

  @Test
  void theKeptHrPassGivesTheSameUpdateAsAFreshOne() {
    Nd4j.getRandom().setSeed(5);
    INDArray sr = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
    INDArray hr = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
    GanLoss gan = new GanLoss("vanilla", true, 1.0, 0.0, 0.005);

    InputGradientGraph kept = discriminator();
    INDArray start = kept.params().dup();
    AdversarialLoss keptTerm = new AdversarialLoss("gan", kept, gan);
    keptTerm.compute(sr, hr);
    Map<String, Double> keptLosses = new DiscriminatorUpdate(keptTerm).run(sr.dup(), hr, 0, 0);

    InputGradientGraph fresh = discriminator();
    AdversarialLoss freshTerm = new AdversarialLoss("gan", fresh, gan);
    freshTerm.compute(sr, hr);
    assertNotNull(freshTerm.takeRealForward()); // dropped: the update runs D on the HR batch itself
    Map<String, Double> freshLosses = new DiscriminatorUpdate(freshTerm).run(sr.dup(), hr, 0, 0);

    assertEquals(freshLosses, keptLosses);
    assertEquals(0.0, kept.params().sub(fresh.params()).amaxNumber().doubleValue(), 0.0, "D's new weights");
    assertTrue(kept.params().sub(start).amaxNumber().doubleValue() > 0, "D was updated");
  }

  /** The vanilla form neither runs D on the HR batch in the generator's step nor keeps anything for the update. */
  @Test
  void theVanillaFormKeepsNoHrPass() {
    Nd4j.getRandom().setSeed(6);
    AdversarialLoss term = new AdversarialLoss("gan", discriminator(), new GanLoss("vanilla", false, 1.0, 0.0, 0.005));
    term.compute(Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32), Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32));
    assertNull(term.takeRealForward());
  }
}
