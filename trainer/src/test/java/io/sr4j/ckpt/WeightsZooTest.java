package io.sr4j.ckpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.config.ConfigException;
import io.sr4j.data.BadInputException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalogue's content and checks, and how zoo:NAME references resolve. */
class WeightsZooTest {
  @TempDir Path dir;

  private static WeightsZoo.Entry entry(String name, String file, Long sizeBytes, String sizeMib) {
    return new WeightsZoo.Entry(name, file, URI.create("https://example.org/" + file), "generator", "a test entry",
        null, null, sizeBytes, sizeMib, "the test");
  }

  @Test
  void theBundledCatalogueHasTheFilesUsersHuntForWithTheirPublishedChecks() {
    WeightsZoo.Catalogue c = WeightsZoo.Catalogue.bundled();
    List<String> names = c.weights().stream().map(WeightsZoo.Entry::name).toList();
    assertTrue(names.containsAll(List.of("vgg19", "vgg16", "alexnet", "lpips-vgg", "lpips-alex", "esrgan-x4",
        "rrdb-psnr-x4", "esrgan-x4-basicsr", "rrdb-psnr-x4-basicsr")), names.toString());
    for (WeightsZoo.Entry e : c.weights()) {
      if (e.sha256Prefix() != null) {
        assertTrue(e.file().endsWith("-" + e.sha256Prefix() + ".pth"),
            e.name() + ": a prefix is only stated where the publisher's file name carries it");
      }
    }
    WeightsZoo.Entry vgg19 = new WeightsZoo(c, dir).entry("vgg19");
    assertEquals(URI.create("https://download.pytorch.org/models/vgg19-dcbb9e9d.pth"), vgg19.url());
    assertEquals("vgg19-dcbb9e9d.pth", vgg19.file());
    assertEquals("548.051", vgg19.sizeMib());
    assertEquals("vgg16-397923af.pth", new WeightsZoo(c, dir).entry("vgg16").file());
    assertEquals(66954395L, new WeightsZoo(c, dir).entry("esrgan-x4").sizeBytes());
  }

  @Test
  void aSizeStatedInMibIsCheckedToItsDecimals() {
    WeightsZoo.Entry e = entry("w", "w.pth", null, "548.051");
    long exact = Math.round(548.051 * (1 << 20));
    assertNull(WeightsZoo.sizeProblem(e, exact));
    assertNull(WeightsZoo.sizeProblem(e, exact + 500), "within the rounding of 3 decimals (524 bytes)");
    String problem = WeightsZoo.sizeProblem(e, exact + 600);
    assertNotNull(problem);
    assertTrue(problem.contains("548.052 MiB") && problem.contains("states 548.051 MiB"), problem);
    assertTrue(WeightsZoo.sizeProblem(entry("w", "w.pth", 10L, null), 11)
        .contains("has 11 bytes, the publisher states 10"));
  }

  @Test
  void catalogueFilesAreValidatedWithTheKeyAndExpectation() throws Exception {
    Path cat = dir.resolve("bad.yml");
    Files.writeString(cat, """
        weights:
          - {name: a, file: a.pth, url: 'https://example.org/a.pth', kind: generator, use: x, source: y,
             sha256_prefix: XYZ}
        """);
    ConfigException e = assertThrows(ConfigException.class, () -> WeightsZoo.Catalogue.read(cat));
    assertTrue(e.getMessage().contains("sha256_prefix") && e.getMessage().contains("hex digits"), e.getMessage());
    Files.writeString(cat, """
        weights:
          - {name: a, file: ../a.pth, url: 'https://example.org/a.pth', kind: generator, use: x, source: y}
        """);
    ConfigException f = assertThrows(ConfigException.class, () -> WeightsZoo.Catalogue.read(cat));
    assertTrue(f.getMessage().contains("file") && f.getMessage().contains("plain file name"), f.getMessage());
  }

  @Test
  void zooReferencesResolveToTheCacheAndAMissingFileSaysTheDownloadCommand() throws Exception {
    WeightsZoo.Catalogue one = new WeightsZoo.Catalogue(List.of(entry("esrgan-x4", "RRDB_ESRGAN_x4.pth", 4L, null)));
    WeightsZoo zoo = new WeightsZoo(one, dir);
    BadInputException missing = assertThrows(BadInputException.class,
        () -> zoo.resolveRef("zoo:esrgan-x4", "path.pretrain_network_g"));
    assertTrue(missing.getMessage().startsWith("path.pretrain_network_g: zoo:esrgan-x4 is not downloaded")
        && missing.getMessage().endsWith("fetch it with: ./sr weights download esrgan-x4"), missing.getMessage());

    Files.write(dir.resolve("RRDB_ESRGAN_x4.pth"), new byte[] {1, 2, 3});
    BadInputException size = assertThrows(BadInputException.class, () -> zoo.resolveRef("zoo:esrgan-x4", "--model"));
    assertTrue(size.getMessage().contains("has 3 bytes, the publisher states 4"), size.getMessage());
    Files.write(dir.resolve("RRDB_ESRGAN_x4.pth"), new byte[] {1, 2, 3, 4});
    assertEquals(dir.resolve("RRDB_ESRGAN_x4.pth"), zoo.resolveRef("zoo:esrgan-x4", "--model"));

    BadInputException unknown = assertThrows(BadInputException.class, () -> zoo.resolveRef("zoo:esrgan_x4", "--model"));
    assertTrue(unknown.getMessage().contains("did you mean esrgan-x4?"), unknown.getMessage());
    assertEquals(Path.of("some/file.pth"), WeightsZoo.resolve("some/file.pth", "--model"), "paths pass through");
    assertNull(WeightsZoo.resolve(null, "--model"));
  }
}
