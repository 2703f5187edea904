package io.sr4j.data.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.data.BadInputException;
import io.sr4j.data.Progress;
import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Div2kDownloaderTest {
  private static final String HR_ZIP = "DIV2K_train_HR.zip";
  private static final String LR_ZIP = "DIV2K_train_LR_bicubic_X4.zip";

  @TempDir Path tmp;
  private Path dir;
  private ArchiveServer server;
  private Map<String, byte[]> hrEntries;

  @BeforeEach
  void start() throws Exception {
    dir = tmp.resolve("div2k");
    server = new ArchiveServer();
    hrEntries = new LinkedHashMap<>();
    hrEntries.put("DIV2K_train_HR/", null);
    hrEntries.put("DIV2K_train_HR/0001.png", png(1));
    hrEntries.put("DIV2K_train_HR/0002.png", png(2));
    server.files.put(HR_ZIP, zip(hrEntries));
    server.files.put(LR_ZIP, zip(Map.of("DIV2K_train_LR_bicubic/X4/0001x4.png", png(3))));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** A small PNG of random pixels (does not compress much, so archives are a few KB). */
  private Path scratchPng(long seed) {
    Random rnd = new Random(seed);
    float[] p = new float[24 * 24];
    for (int i = 0; i < p.length; i++) {
      p[i] = rnd.nextInt(256) / 255f;
    }
    Path f = tmp.resolve("scratch" + seed + ".png");
    ImageFiles.write(Image.of(24, 24, p, p, p), f);
    return f;
  }

  private byte[] png(long seed) throws IOException {
    return Files.readAllBytes(scratchPng(seed));
  }

  /** A zip of the given entries, stored uncompressed (names ending in '/' with null content are folders). */
  private static byte[] zip(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        byte[] content = e.getValue() == null ? new byte[0] : e.getValue();
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        entry.setCrc(crc.getValue());
        out.putNextEntry(entry);
        out.write(content);
        out.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  private Div2kDownloader.Options options(List<Div2kPart> parts, Path checksums, int attempts) {
    return new Div2kDownloader.Options(dir, parts, server.baseUrl(), checksums, false, attempts);
  }

  private List<Div2kDownloader.PartResult> run(List<Div2kPart> parts, int attempts) throws InterruptedException {
    return Div2kDownloader.download(options(parts, null, attempts), Progress.NONE);
  }

  private void assertHrInstalled() throws IOException {
    assertArrayEquals(hrEntries.get("DIV2K_train_HR/0001.png"), Files.readAllBytes(dir.resolve("DIV2K_train_HR/0001.png")));
    assertArrayEquals(hrEntries.get("DIV2K_train_HR/0002.png"), Files.readAllBytes(dir.resolve("DIV2K_train_HR/0002.png")));
  }

  @Test
  void installsTheStandardLayoutRecordsDigestsAndSkipsCompleteParts() throws Exception {
    List<Div2kDownloader.PartResult> first = run(List.of(Div2kPart.TRAIN_HR, Div2kPart.TRAIN_LR_X4), 1);
    assertHrInstalled();
    assertTrue(Files.isRegularFile(dir.resolve("DIV2K_train_LR_bicubic/X4/0001x4.png")));
    assertFalse(Files.exists(dir.resolve(HR_ZIP)), "archives are deleted after unpacking");
    assertEquals(2, first.get(0).files());
    assertFalse(first.get(0).alreadyComplete());
    Map<String, String> sums = Sha256Sums.read(dir.resolve("SHA256SUMS"));
    assertEquals(sha256(server.files.get(HR_ZIP)), sums.get(HR_ZIP));
    assertEquals(sha256(server.files.get(LR_ZIP)), sums.get(LR_ZIP));
    assertEquals(2, server.requests.size());

    List<Div2kDownloader.PartResult> second = run(List.of(Div2kPart.TRAIN_HR, Div2kPart.TRAIN_LR_X4), 1);
    assertTrue(second.get(0).alreadyComplete() && second.get(1).alreadyComplete());
    assertEquals(2, server.requests.size(), "complete parts are not downloaded again");

    Files.delete(dir.resolve("DIV2K_train_HR/0002.png"));
    assertFalse(run(List.of(Div2kPart.TRAIN_HR), 1).get(0).alreadyComplete(), "a missing file makes it incomplete");
    assertHrInstalled();
  }

  @Test
  void anInterruptedDownloadIsResumedWithARangeRequest() throws Exception {
    int total = server.files.get(HR_ZIP).length;
    server.cutNextAfterBytes.set(1000);
    BadInputException e = assertThrows(BadInputException.class, () -> run(List.of(Div2kPart.TRAIN_HR), 1));
    assertTrue(e.getMessage().contains("interrupted after 1000 bytes") && e.getMessage().contains("resume"),
        e.getMessage());
    assertEquals(1000, Files.size(dir.resolve(HR_ZIP + ".part")));

    run(List.of(Div2kPart.TRAIN_HR), 1);
    assertEquals(new ArchiveServer.Request(HR_ZIP, "bytes=1000-"), server.requests.get(1));
    assertHrInstalled();
    assertFalse(Files.exists(dir.resolve(HR_ZIP + ".part")));
    assertTrue(total > 2000, "the cut is mid-way: " + total);

    server.cutNextAfterBytes.set(700); // with 3 attempts the same run resumes by itself

    run(List.of(Div2kPart.TRAIN_LR_X4), 3);
    assertEquals(new ArchiveServer.Request(LR_ZIP, null), server.requests.get(2));
    assertEquals(new ArchiveServer.Request(LR_ZIP, "bytes=700-"), server.requests.get(3));
    assertTrue(Files.isRegularFile(dir.resolve("DIV2K_train_LR_bicubic/X4/0001x4.png")));
  }

  @Test
  void aServerIgnoringRangeMakesTheDownloadStartOverCleanly() throws Exception {
    Files.createDirectories(dir);
    Files.write(dir.resolve(HR_ZIP + ".part"), new byte[500]); // 500 bytes that are not the archive's start
    server.honourRange = false;
    run(List.of(Div2kPart.TRAIN_HR), 1);
    assertEquals(new ArchiveServer.Request(HR_ZIP, "bytes=500-"), server.requests.get(0));
    assertHrInstalled();
    assertEquals(sha256(server.files.get(HR_ZIP)), Sha256Sums.read(dir.resolve("SHA256SUMS")).get(HR_ZIP));
  }

  @Test
  void aCompletePartFileIsAcceptedWhenTheServerSaysNothingIsLeft() throws Exception {
    Files.createDirectories(dir);
    Files.write(dir.resolve(HR_ZIP + ".part"), server.files.get(HR_ZIP));
    run(List.of(Div2kPart.TRAIN_HR), 1);
    assertEquals(1, server.requests.size());
    assertHrInstalled();
  }

  @Test
  void anArchiveWithABadCrcIsRejectedNamingItAndDeleted() throws Exception {
    byte[] archive = server.files.get(HR_ZIP).clone();
    byte[] content = hrEntries.get("DIV2K_train_HR/0002.png");
    int at = indexOf(archive, content);
    archive[at + content.length / 2] ^= 0x55; // stored data changed, CRC in the headers not
    server.files.put(HR_ZIP, archive);
    BadInputException e = assertThrows(BadInputException.class, () -> run(List.of(Div2kPart.TRAIN_HR), 1));
    assertTrue(e.getMessage().contains(HR_ZIP) && e.getMessage().contains("DIV2K_train_HR/0002.png")
        && e.getMessage().contains("CRC-32"), e.getMessage());
    assertFalse(Files.exists(dir.resolve(HR_ZIP)), "a corrupt archive is deleted");
    assertFalse(Files.exists(dir.resolve("DIV2K_train_HR/0002.png")));
    assertNull(Sha256Sums.read(dir.resolve("SHA256SUMS")).get(HR_ZIP), "a corrupt archive's digest is not recorded");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("entry data not found in the archive");
  }

  @Test
  void entriesOutsideTheDestinationAreRejectedBeforeAnythingIsWritten() throws Exception {
    Map<String, byte[]> evil = new LinkedHashMap<>();
    evil.put("DIV2K_train_HR/0001.png", png(1));
    evil.put("../evil", "owned".getBytes());
    server.files.put(HR_ZIP, zip(evil));
    BadInputException e = assertThrows(BadInputException.class, () -> run(List.of(Div2kPart.TRAIN_HR), 1));
    assertTrue(e.getMessage().contains("'../evil'") && e.getMessage().contains(HR_ZIP), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("evil")));
    assertFalse(Files.exists(dir.resolve("DIV2K_train_HR/0001.png")), "nothing is unpacked from a rejected archive");

    Path absolute = tmp.resolve("abs.zip");
    Files.write(absolute, zip(Map.of("/etc/evil", new byte[1])));
    BadInputException abs = assertThrows(BadInputException.class,
        () -> ZipUnpacker.unpack(absolute, dir, Progress.NONE));
    assertTrue(abs.getMessage().contains("'/etc/evil'"), abs.getMessage());
  }

  @Test
  void digestsMustMatchTheGivenChecksumsAndTheOnesRecordedEarlier() throws Exception {
    Path sums = tmp.resolve("known.sha256");
    String wrong = "0".repeat(64);
    Files.writeString(sums, wrong + "  some/folder/" + HR_ZIP + "\n");
    BadInputException e = assertThrows(BadInputException.class,
        () -> Div2kDownloader.download(options(List.of(Div2kPart.TRAIN_HR), sums, 1), Progress.NONE));
    assertTrue(e.getMessage().contains(HR_ZIP) && e.getMessage().contains(wrong)
        && e.getMessage().contains(sha256(server.files.get(HR_ZIP))), e.getMessage());
    assertFalse(Files.exists(dir.resolve("DIV2K_train_HR")));

    Files.writeString(sums, sha256(server.files.get(HR_ZIP)) + " *" + HR_ZIP + "\n");
    Div2kDownloader.download(options(List.of(Div2kPart.TRAIN_HR), sums, 1), Progress.NONE);
    assertHrInstalled();

    // The server now serves different bytes under the same name: the recorded digest catches it.
    hrEntries.put("DIV2K_train_HR/0002.png", png(9));
    server.files.put(HR_ZIP, zip(hrEntries));
    Files.delete(dir.resolve("DIV2K_train_HR/0001.png"));
    BadInputException changed = assertThrows(BadInputException.class, () -> run(List.of(Div2kPart.TRAIN_HR), 1));
    assertTrue(changed.getMessage().contains("SHA256SUMS"), changed.getMessage());
  }

  @Test
  void httpErrorsNameTheUrl() {
    server.files.remove(HR_ZIP);
    BadInputException e = assertThrows(BadInputException.class, () -> run(List.of(Div2kPart.TRAIN_HR), 2));
    assertTrue(e.getMessage().contains("/div2k/" + HR_ZIP) && e.getMessage().contains("HTTP 404"), e.getMessage());
  }

  @Test
  void partNamesParseAndUnknownOnesListTheValidNames() {
    assertEquals(Div2kPart.VALID_LR_X4, Div2kPart.parse("valid_lr_x4"));
    assertEquals("DIV2K_valid_LR_bicubic_X2.zip", Div2kPart.VALID_LR_X2.archiveName());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Div2kPart.parse("train_lr_x5"));
    assertTrue(e.getMessage().contains("train_lr_x5")
        && e.getMessage().contains("train_hr,valid_hr,train_lr_x2,train_lr_x3,train_lr_x4,valid_lr_x2"), e.getMessage());
  }
}
