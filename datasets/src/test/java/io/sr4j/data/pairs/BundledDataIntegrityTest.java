package io.sr4j.data.pairs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped sets are exactly what their SOURCES.md and SHA256SUMS say. */
class BundledDataIntegrityTest {
  private static Path root() {
    return BundledData.dataRoot().orElseThrow(() -> new AssertionError("datasets/data not found"));
  }

  @Test
  void everyBundledFileMatchesItsChecksum() throws IOException, NoSuchAlgorithmException {
    List<String> lines = Files.readAllLines(root().resolve("SHA256SUMS"));
    assertEquals(5 + 14 + 91 + 100, lines.size());
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (String line : lines) {
      String[] parts = line.split(" +", 2);
      byte[] digest = sha.digest(Files.readAllBytes(root().resolve(parts[1])));
      assertEquals(parts[0], HexFormat.of().formatHex(digest), parts[1]);
    }
  }

  /** BSD100 is stored as in the shared data folder it was copied from: every file has the SHA-256 recorded there. */
  @Test
  void bsd100IsByteIdenticalToItsSource() throws IOException {
    Path sharedSums = Path.of(System.getProperty("sr4j.sharedData", "../shared/data"), "SHA256SUMS");
    assumeTrue(Files.isRegularFile(sharedSums), "no " + sharedSums + "; skipping the comparison with the source");
    List<String> source = Files.readAllLines(sharedSums).stream().filter(l -> l.contains(" BSD100/HR/")).toList();
    List<String> bundled = Files.readAllLines(root().resolve("SHA256SUMS")).stream()
        .filter(l -> l.contains(" BSD100/HR/")).toList();
    assertEquals(100, bundled.size());
    assertEquals(source, bundled);
    assertEquals(100, ImageFiles.list(root().resolve("BSD100/HR")).size());
  }

  /** T91 is stored as PNG; its pixels must equal the upstream 24-bit BMP files. */
  @Test
  void t91PngsArePixelIdenticalToTheUpstreamBmps() {
    Path shared = Path.of(System.getProperty("sr4j.sharedData", "../shared/data"), "T91", "HR");
    assumeTrue(Files.isDirectory(shared), "upstream T91 BMPs not available at " + shared + "; skipping the comparison");
    List<Path> bmps = ImageFiles.list(shared);
    assertEquals(91, bmps.size());
    for (Path bmp : bmps) {
      String stem = bmp.getFileName().toString().replace(".bmp", "");
      Image a = ImageFiles.read(bmp);
      Image b = ImageFiles.read(root().resolve("T91/HR/" + stem + ".png"));
      assertEquals(a.width(), b.width(), stem);
      assertEquals(a.height(), b.height(), stem);
      for (int c = 0; c < 3; c++) {
        assertArrayEquals(a.plane(c), b.plane(c), stem);
      }
    }
  }
}
