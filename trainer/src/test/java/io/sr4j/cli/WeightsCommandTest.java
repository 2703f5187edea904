package io.sr4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.data.download.ArchiveServer;
import io.sr4j.data.download.Sha256Sums;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sr weights download} against a local HTTP server: a fake "vgg19" served under a catalogue override that
 * states its size and SHA-256 prefix (as the bundled catalogue does for torchvision's file), or nothing (trust on
 * first use).
 */
class WeightsCommandTest {
  private static final int SIZE = 300_000;

  @TempDir Path dir;
  private ArchiveServer server;
  private byte[] weights;
  private String sha256;
  private Path to;

  @BeforeEach
  void start() throws Exception {
    server = new ArchiveServer();
    weights = new byte[SIZE];
    new Random(7).nextBytes(weights);
    sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(weights));
    to = dir.resolve("weights");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** A catalogue with one entry "vgg19" served by the test server; {@code checks} are its size/hash lines. */
  private Path catalogue(String file, String checks) throws Exception {
    Path cat = dir.resolve("catalogue.yml");
    Files.writeString(cat, """
        weights:
          - name: vgg19
            file: %s
            url: %s
            kind: vgg19
            use: test weights
        %s    source: the test
        """.formatted(file, server.baseUrl().resolve(file), checks.indent(4)));
    return cat;
  }

  /** The catalogue of torchvision's convention: the file name carries the SHA-256 prefix, the size is stated. */
  private Path publishedCatalogue() throws Exception {
    String file = "vgg19-" + sha256.substring(0, 8) + ".pth";
    server.files.put(file, weights);
    return catalogue(file, "sha256_prefix: '" + sha256.substring(0, 8) + "'\nsize_bytes: " + SIZE + "\n");
  }

  private CliRunner.Result download(Path catalogue, String... extra) {
    String[] args = {"weights", "download", "vgg19", "--to", to.toString(), "--catalogue", catalogue.toString()};
    String[] all = java.util.Arrays.copyOf(args, args.length + extra.length);
    System.arraycopy(extra, 0, all, args.length, extra.length);
    return CliRunner.run(all);
  }

  @Test
  void downloadVerifiesSizeAndHashPrefixAndThenSkipsTheVerifiedFile() throws Exception {
    Path cat = publishedCatalogue();
    CliRunner.Result r = download(cat);
    assertEquals(0, r.exit(), r.err());
    Path file = to.resolve("vgg19-" + sha256.substring(0, 8) + ".pth");
    assertArrayEquals(weights, Files.readAllBytes(file));
    assertTrue(r.out().contains("downloaded and verified") && r.out().contains(sha256), r.out());
    assertEquals(sha256, Sha256Sums.read(to.resolve("SHA256SUMS")).get(file.getFileName().toString()),
        "the SHA-256 is recorded for later downloads");
    try (var listing = Files.list(to)) {
      assertEquals(2, listing.count(), "only the file and SHA256SUMS remain (no staging or .part files)");
    }

    CliRunner.Result again = download(cat);
    assertEquals(0, again.exit(), again.err());
    assertTrue(again.out().contains("already present, verified"), again.out());
    assertEquals(1, server.requests.size(), "a verified file is not downloaded again");
  }

  @Test
  void aDroppedConnectionIsResumedWithARangeRequest() throws Exception {
    Path cat = publishedCatalogue();
    server.cutNextAfterBytes.set(100_000);
    CliRunner.Result cut = download(cat, "--attempts", "1");
    assertEquals(1, cut.exit());
    assertEquals(1, cut.errLines(), cut.err());
    Matcher received = Pattern.compile("interrupted after (\\d+) bytes").matcher(cut.err());
    assertTrue(received.find() && cut.err().contains("resume"), cut.err());
    long kept = Long.parseLong(received.group(1));
    assertTrue(kept > 0 && kept <= 100_000, cut.err());
    assertFalse(Files.exists(to.resolve("vgg19-" + sha256.substring(0, 8) + ".pth")), "no file under the final name");

    CliRunner.Result resumed = download(cat);
    assertEquals(0, resumed.exit(), resumed.err());
    assertEquals("bytes=" + kept + "-", server.requests.get(1).range(), "resumed from the bytes received");
    assertArrayEquals(weights, Files.readAllBytes(to.resolve("vgg19-" + sha256.substring(0, 8) + ".pth")));

    server.cutNextAfterBytes.set(50_000); // within one run: the second attempt resumes
    Files.delete(to.resolve("vgg19-" + sha256.substring(0, 8) + ".pth"));
    assertEquals(0, download(cat, "--attempts", "3").exit());
    assertResumedWithin(50_000, server.requests.get(3).range());
  }

  /**
   * A resume from between 1 and {@code cut} bytes: the test server cuts the connection after {@code cut} bytes, and
   * the last segments in flight can be lost with the connection (a CI run received 98,224 of 100,000), so the client
   * resumes from what it actually received.
   */
  private static void assertResumedWithin(long cut, String range) {
    Matcher m = Pattern.compile("bytes=(\\d+)-").matcher(range == null ? "" : range);
    assertTrue(m.matches(), "a range request, got " + range);
    long from = Long.parseLong(m.group(1));
    assertTrue(from > 0 && from <= cut, range);
  }

  @Test
  void aCorruptDownloadIsRefusedAndDeleted() throws Exception {
    Path cat = publishedCatalogue();
    String file = "vgg19-" + sha256.substring(0, 8) + ".pth";
    byte[] corrupt = weights.clone();
    corrupt[SIZE / 2] ^= 1;
    server.files.put(file, corrupt);
    CliRunner.Result r = download(cat);
    assertEquals(1, r.exit());
    assertEquals(1, r.errLines(), r.err());
    assertTrue(r.err().contains("does not start with " + sha256.substring(0, 8)) && r.err().contains("deleted"),
        r.err());
    try (var listing = Files.list(to)) {
      assertEquals(0, listing.count(), "nothing is kept from a corrupt download, and its hash is not recorded");
    }

    server.files.put(file, java.util.Arrays.copyOf(weights, SIZE - 1)); // truncated by a proxy, say
    CliRunner.Result shorter = download(cat);
    assertEquals(1, shorter.exit());
    assertTrue(shorter.err().contains("has 299,999 bytes, the publisher states 300,000"), shorter.err());
  }

  @Test
  void aFullSha256IsChecked() throws Exception {
    server.files.put("w.pth", weights);
    CliRunner.Result ok = download(catalogue("w.pth", "sha256: '" + sha256 + "'\n"));
    assertEquals(0, ok.exit(), ok.err());
    Files.delete(to.resolve("w.pth"));
    String other = "0".repeat(64);
    CliRunner.Result bad = download(catalogue("w.pth", "sha256: '" + other + "'\n"));
    assertEquals(1, bad.exit());
    assertTrue(bad.err().contains("the publisher states " + other), bad.err());
  }

  @Test
  void withNothingPublishedTheFirstHashIsRecordedAndALaterMismatchRefused() throws Exception {
    server.files.put("lin.pth", weights);
    Path cat = catalogue("lin.pth", "");
    CliRunner.Result first = download(cat);
    assertEquals(0, first.exit(), first.err());
    assertTrue(first.out().contains("recorded"), first.out());
    assertEquals(sha256, Sha256Sums.read(to.resolve("SHA256SUMS")).get("lin.pth"));

    byte[] changed = weights.clone();
    changed[0] ^= 1;
    server.files.put("lin.pth", changed);
    Files.delete(to.resolve("lin.pth"));
    CliRunner.Result second = download(cat);
    assertEquals(1, second.exit());
    assertTrue(second.err().contains("recorded in") && second.err().contains(sha256), second.err());
    assertFalse(Files.exists(to.resolve("lin.pth")));

    Files.write(to.resolve("lin.pth"), changed); // a file swapped in place is caught as well
    CliRunner.Result swapped = download(cat);
    assertEquals(1, swapped.exit());
    assertTrue(swapped.err().contains("not the " + sha256) && swapped.err().contains("delete it"), swapped.err());
  }

  @Test
  void listShowsTheBundledEntriesAndUnknownNamesGetASuggestion() {
    CliRunner.Result list = CliRunner.run("weights", "list", "--sources");
    assertEquals(0, list.exit(), list.err());
    for (String name : new String[] {"vgg19", "vgg16", "lpips-vgg", "lpips-alex", "esrgan-x4", "rrdb-psnr-x4"}) {
      assertTrue(list.out().lines().anyMatch(l -> l.startsWith(name + " ")), name + " in\n" + list.out());
    }
    assertTrue(list.out().contains("https://download.pytorch.org/models/vgg19-dcbb9e9d.pth")
        && list.out().contains("SHA-256 prefix dcbb9e9d, size 548.051 MiB"), list.out());

    CliRunner.Result unknown = CliRunner.run("weights", "download", "vgg91", "--to", to.toString());
    assertEquals(1, unknown.exit());
    assertTrue(unknown.err().contains("did you mean vgg19?"), unknown.err());
    assertFalse(Files.exists(to));
  }

  @Test
  void aZooModelThatIsNotDownloadedNamesTheCommand() {
    CliRunner.Result r = CliRunner.run("upscale", "--model", "zoo:no-such-model", "--scale", "4", "--input",
        dir.resolve("in.png").toString(), "--output", dir.resolve("out.png").toString());
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("--model: zoo:no-such-model: no weights called 'no-such-model'"), r.err());
  }
}
