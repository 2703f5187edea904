package io.sr4j.data.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PatchWriterTest {
  /** The gray 2x2 crop [a b; c d] with a..d = 10, 20, 30, 40. */
  private static final ByteImage ABCD = new ByteImage(2, 2, new byte[][] {{10, 20, 30, 40}});

  @ParameterizedTest(name = "hflip={0} vflip={1} transpose={2} -> {3}")
  @CsvSource({
    "false, false, false, 10 20 30 40",
    "true,  false, false, 20 10 40 30",
    "false, true,  false, 30 40 10 20",
    "false, false, true,  10 30 20 40",
    "true,  false, true,  20 40 10 30",
    "false, true,  true,  30 10 40 20",
    "true,  true,  false, 40 30 20 10",
    "true,  true,  true,  40 20 30 10",
  })
  void transformsComposeLikeBasicsrAugment(boolean hflip, boolean vflip, boolean transpose, String expected) {
    // BasicSR: cv2.flip(img, 1) (columns reversed), then cv2.flip(img, 0) (rows reversed), then transpose.
    float[] out = new float[3 * 4];
    PatchWriter.write(ABCD, new Dihedral(hflip, vflip, transpose), PatchColor.RGB, out, 0);
    float[] plane = new float[4];
    String[] codes = expected.split(" ");
    for (int i = 0; i < 4; i++) {
      plane[i] = Integer.parseInt(codes[i]) / 255f;
    }
    for (int c = 0; c < 3; c++) { // a gray crop fills all three planes
      float[] got = new float[4];
      System.arraycopy(out, c * 4, got, 0, 4);
      assertArrayEquals(plane, got, "plane " + c);
    }
  }

  @Test
  void theEightTransformsAreDistinct() {
    Set<String> results = new HashSet<>();
    for (int bits = 0; bits < 8; bits++) {
      float[] out = new float[3 * 4];
      PatchWriter.write(ABCD, new Dihedral((bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0), PatchColor.RGB, out, 0);
      results.add(java.util.Arrays.toString(out));
    }
    assertEquals(8, results.size());
  }

  @Test
  void lumaOfAGrayCropIsStudioSwingAndWrittenAtTheOffset() {
    float[] out = new float[6];
    PatchWriter.write(new ByteImage(2, 2, new byte[][] {{0, (byte) 255, 100, 50}}), Dihedral.IDENTITY, PatchColor.Y,
        out, 2);
    assertArrayEquals(new float[] {0, 0, 16 / 255f, 235 / 255f, (float) ((16 + 219 * 100 / 255.0) / 255),
        (float) ((16 + 219 * 50 / 255.0) / 255)}, out, 1e-6f);
  }
}
