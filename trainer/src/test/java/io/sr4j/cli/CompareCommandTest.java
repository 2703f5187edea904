package io.sr4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sr compare}: a grid of the same crops, HR first, then each model. */
class CompareCommandTest {
  @TempDir Path dir;

  @Test
  void writesOneColumnPerModelAndOneRowPerImage() throws IOException {
    Path grid = dir.resolve("grid.png");
    CliRunner.Result r = CliRunner.run("compare", "--hr", "Set5", "--scale", "4", "--model", "bicubic", "--model",
        "NN=nearest", "--images", "butterfly,bird", "--crop", "32", "--output", grid.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("HR, bicubic, NN"), r.out());
    BufferedImage png = ImageIO.read(grid.toFile());
    assertEquals(90 + 3 * (32 + 4), png.getWidth(), "name column + 3 crops with gaps");
    assertEquals(18 + 2 * (32 + 4), png.getHeight(), "label row + 2 rows");
    int differing = 0;
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        differing += png.getRGB(90 + x, 18 + y) != png.getRGB(90 + 36 + x, 18 + y) ? 1 : 0;
      }
    }
    assertTrue(differing > 32 * 32 / 2, "the bicubic crop is not the HR crop: " + differing + " pixels differ");
    CliRunner.Result bad = CliRunner.run("compare", "--hr", "Set5", "--scale", "4", "--model", "bicubic", "--images",
        "nope", "--output", dir.resolve("x.png").toString());
    assertEquals(1, bad.exit());
    assertEquals(1, bad.errLines(), bad.err());
    assertTrue(bad.err().contains("no image 'nope'"), bad.err());
  }
}
