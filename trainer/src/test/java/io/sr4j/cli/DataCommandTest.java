package io.sr4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sr data}: exit codes, messages and wiring of extract-subimages and download. */
class DataCommandTest {
  @TempDir Path dir;

  /** Red = x, green = y, so a sub-image's top-left pixel tells where it was cut. */
  private static Image coordinates(int w, int h) {
    float[][] p = new float[3][w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        p[0][y * w + x] = x / 255f;
        p[1][y * w + x] = y / 255f;
      }
    }
    return Image.of(w, h, p);
  }

  private static List<String> names(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void alignFindsTheShiftOfARoughPairAndWritesAnAlignedFolderPair() throws IOException {
    Image source = ImageFiles.read(io.sr4j.data.pairs.BundledData.resolveHrFolder("Set14").resolve("zebra.png"));
    Path hr = Files.createDirectories(dir.resolve("hr"));
    Path lr = Files.createDirectories(dir.resolve("lr"));
    ImageFiles.write(source.crop(10, 10, 240, 180), hr.resolve("z.png"));
    ImageFiles.write(io.sr4j.data.resize.Imresize.resize(source.crop(13, 8, 236, 184), 0.25,
        io.sr4j.data.resize.ResizeKernel.BICUBIC), lr.resolve("zx4.png"));
    Path json = dir.resolve("align.json");
    CliRunner.Result r = CliRunner.run("data", "align", "--hr", hr.toString(), "--lr", lr.toString(), "--scale", "4",
        "--hr-output", dir.resolve("out/HR").toString(), "--lr-output", dir.resolve("out/LR").toString(),
        "--json", json.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("(3, -2)"), r.out());
    assertTrue(r.out().contains("1 pairs aligned"), r.out());
    assertTrue(Files.readString(json).contains("\"offset_x\" : 3") || Files.readString(json).contains("\"offsetX\" : 3"),
        Files.readString(json));
    Image outHr = ImageFiles.read(dir.resolve("out/HR/z.png"));
    Image outLr = ImageFiles.read(dir.resolve("out/LR/zx4.png"));
    assertEquals(4 * outLr.width(), outHr.width());
    assertEquals(4 * outLr.height(), outHr.height());
    CliRunner.Result refused = CliRunner.run("data", "align", "--hr", hr.toString(), "--lr", lr.toString(), "--scale",
        "4", "--hr-output", dir.resolve("o2/HR").toString(), "--lr-output", dir.resolve("o2/LR").toString(),
        "--max-shift", "1");
    assertEquals(1, refused.exit());
    assertEquals(1, refused.errLines(), refused.err());
    assertTrue(refused.err().contains("z.png") && refused.err().contains("largest shift 1 px"), refused.err());
  }

  @Test
  void extractSubimagesCutsAFolderAndReportsTheCount() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    ImageFiles.write(coordinates(50, 30), in.resolve("0001.png"));
    Path out = dir.resolve("out");
    CliRunner.Result r = CliRunner.run("data", "extract-subimages", "--input", in.toString(), "--output",
        out.toString(), "--crop", "20", "--step", "15");
    assertEquals(0, r.exit(), r.err());
    // x: 0, 15, 30 (30 + 20 = 50); y: 0 (15 + 20 > 30) and a flush 10 (30 - 20, 10 px were left)
    assertEquals(List.of("0001_s001.png", "0001_s002.png", "0001_s003.png", "0001_s004.png", "0001_s005.png",
        "0001_s006.png"), names(out));
    Image last = ImageFiles.read(out.resolve("0001_s006.png"));
    assertEquals(30, Math.round(last.get(0, 0, 0) * 255));
    assertEquals(10, Math.round(last.get(1, 0, 0) * 255));
    assertTrue(r.out().contains("6 sub-images of 1 images"), r.out());
  }

  @Test
  void extractSubimagesWithLrCutsAlignedPartners() throws IOException {
    Path hr = Files.createDirectories(dir.resolve("hr"));
    Path lr = Files.createDirectories(dir.resolve("lr"));
    ImageFiles.write(coordinates(40, 40), hr.resolve("0001.png"));
    ImageFiles.write(coordinates(10, 10), lr.resolve("0001x4.png"));
    CliRunner.Result r = CliRunner.run("data", "extract-subimages", "--input", hr.toString(), "--output",
        dir.resolve("hr_sub").toString(), "--crop", "24", "--step", "16", "--scale", "4", "--lr-input", lr.toString(),
        "--lr-output", dir.resolve("lr_sub").toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals(names(dir.resolve("hr_sub")), names(dir.resolve("lr_sub")));
    assertEquals(4, names(dir.resolve("lr_sub")).size()); // 0 and 16 along each axis
    Image lr4 = ImageFiles.read(dir.resolve("lr_sub/0001_s004.png"));
    assertEquals(6, lr4.width());
    assertEquals(4, Math.round(lr4.get(0, 0, 0) * 255)); // HR 16 / 4
  }

  @Test
  void extractSubimagesUsageErrors() {
    CliRunner.Result r = CliRunner.run("data", "extract-subimages", "--input", "a", "--output", "b", "--lr-input", "c");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("go together"), r.err());
    CliRunner.Result missing = CliRunner.run("data", "extract-subimages", "--input", dir.resolve("nope").toString(),
        "--output", dir.resolve("o").toString());
    assertEquals(1, missing.exit());
    assertEquals(1, missing.errLines(), missing.err());
    assertTrue(missing.err().contains("nope"), missing.err());
  }

  @Test
  void downloadRejectsUnknownPartsAndDataSetsAsUsageErrors() {
    CliRunner.Result part = CliRunner.run("data", "download", "div2k", "--to", dir.toString(), "--parts",
        "train_hr,train_lr_x5");
    assertEquals(2, part.exit());
    assertTrue(part.err().contains("train_lr_x5") && part.err().contains("valid_lr_x4"), part.err());
    CliRunner.Result set = CliRunner.run("data", "download", "flickr2k", "--to", dir.toString());
    assertEquals(2, set.exit());
    assertTrue(set.err().contains("div2k"), set.err());
  }

  @Test
  void downloadFetchesAndUnpacksFromTheGivenBaseUrlThenSkips() throws IOException {
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(zip)) {
      z.putNextEntry(new ZipEntry("DIV2K_valid_HR/0801.png"));
      ImageFiles.write(coordinates(8, 8), dir.resolve("tmp.png"));
      z.write(Files.readAllBytes(dir.resolve("tmp.png")));
      z.closeEntry();
    }
    byte[] archive = zip.toByteArray();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      boolean known = exchange.getRequestURI().getPath().equals("/DIV2K/DIV2K_valid_HR.zip");
      exchange.sendResponseHeaders(known ? 200 : 404, known ? archive.length : -1);
      if (known) {
        exchange.getResponseBody().write(archive);
      }
      exchange.close();
    });
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/DIV2K";
      Path to = dir.resolve("div2k");
      CliRunner.Result r = CliRunner.run("data", "download", "div2k", "--to", to.toString(), "--parts", "valid_hr",
          "--base-url", base);
      assertEquals(0, r.exit(), r.err());
      assertTrue(Files.isRegularFile(to.resolve("DIV2K_valid_HR/0801.png")));
      assertTrue(Files.readString(to.resolve("SHA256SUMS")).contains("DIV2K_valid_HR.zip"));
      assertTrue(r.out().contains("1 part(s) installed"), r.out());
      CliRunner.Result again = CliRunner.run("data", "download", "div2k", "--to", to.toString(), "--parts",
          "valid_hr", "--base-url", base);
      assertTrue(again.out().contains("already complete"), again.out());

      CliRunner.Result missing = CliRunner.run("data", "download", "div2k", "--to", to.toString(), "--parts",
          "train_hr", "--base-url", base);
      assertEquals(1, missing.exit());
      assertEquals(1, missing.errLines(), missing.err());
      assertTrue(missing.err().contains("HTTP 404"), missing.err());
      assertFalse(Files.exists(to.resolve("DIV2K_train_HR")));
    } finally {
      server.stop(0);
    }
  }
}
