package io.sr4j.data.burst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.data.image.Image;
import org.junit.jupiter.api.Test;

class BurstSynthTest {
  private static final Image HR = new Textures(2, 20, 0.02, 0.3).image(66, 50, 3);

  /** The reference frame with the box PSF at x2 is the mean of each 2x2 HR block: the pixel-centre convention. */
  @Test
  void referenceFrameIsTheBlockMean() {
    BurstSynth.Burst b = BurstSynth.make(HR, new BurstSynth.Options(1, 2, 2, 0, 0, BurstSynth.Psf.BOX, false, 1), 1);
    Image f = b.frames().get(0);
    assertEquals(33, f.width());
    assertEquals(25, f.height());
    assertEquals(66, b.hr().width());
    assertEquals(50, b.hr().height());
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 25; y++) {
        for (int x = 0; x < 33; x++) {
          double mean = (HR.get(c, 2 * x, 2 * y) + HR.get(c, 2 * x + 1, 2 * y) + HR.get(c, 2 * x, 2 * y + 1)
              + HR.get(c, 2 * x + 1, 2 * y + 1)) / 4;
          // a mean ending in half a code value may round either way in float arithmetic
          assertEquals(mean, f.get(c, x, y), 0.5 / 255 + 1e-6, "pixel " + x + "," + y);
        }
      }
    }
  }

  /** A frame shifted by whole LR pixels shows the reference's pixels moved by that many pixels. */
  @Test
  void shiftsFollowTheFlowConvention() {
    BurstSynth.Burst b = BurstSynth.make(HR, new BurstSynth.Options(6, 2, 2, 0, 0, BurstSynth.Psf.BOX, false, 3), 1);
    Image ref = b.frames().get(0);
    for (int n = 1; n < 6; n++) {
      RigidMotion m = b.motions().get(n);
      assertTrue(Math.abs(m.shiftX()) <= 2 && Math.abs(m.shiftY()) <= 2, m.toString());
      // frame pixel q shows the reference point q - shift: compare on an interior pixel by bicubic sampling
      Plane refPlane = new Plane(ref.width(), ref.height(), ref.plane(0));
      double err = 0;
      int count = 0;
      for (int y = 5; y < 20; y++) {
        for (int x = 5; x < 28; x++) {
          err += Math.abs(b.frames().get(n).get(0, x, y) - refPlane.bicubic(x - m.shiftX(), y - m.shiftY()));
          count++;
        }
      }
      assertTrue(err / count < 0.03, "frame " + n + " mean difference " + err / count);
    }
  }

  @Test
  void framesDependOnlyOnSeedAndIndex() {
    BurstSynth.Options eight = new BurstSynth.Options(8, 2, 2, 0.01, 1, BurstSynth.Psf.GAUSSIAN, true, 5);
    BurstSynth.Burst a = BurstSynth.make(HR, eight, 2);
    BurstSynth.Burst b = BurstSynth.make(HR, new BurstSynth.Options(3, 2, 2, 0.01, 1, BurstSynth.Psf.GAUSSIAN, true, 5), 1);
    for (int n = 0; n < 3; n++) {
      assertEquals(a.frames().get(n), b.frames().get(n), "frame " + n);
      assertEquals(a.motions().get(n), b.motions().get(n));
    }
    assertEquals(a.patch(), b.patch());
    assertNotNull(a.patch());
    BurstSynth.Burst other = BurstSynth.make(HR, new BurstSynth.Options(8, 2, 2, 0.01, 1, BurstSynth.Psf.GAUSSIAN, true, 6), 2);
    assertNotEquals(a.motions().get(1), other.motions().get(1));
  }
}
