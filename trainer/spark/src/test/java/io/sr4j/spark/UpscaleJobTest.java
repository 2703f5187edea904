package io.sr4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.infer.Models;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpscaleJobTest {
  private static JavaSparkContext sc;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    sc = TestData.localSpark();
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  static ItemRunner.Run upscale(JavaSparkContext sc, String model, Path in, Path out, int tilePx, int padPx) {
    return UpscaleJob.run(sc, new UpscaleJob.Options(Models.ModelSpec.of(model), 3, in.toString(), false,
        out.toString(), tilePx, padPx, 0), new PrintWriter(new StringWriter()));
  }

  /** Every PNG of {@code expected} exists in {@code actual} with the same bytes, and nothing else does. */
  static void assertSamePngs(Path expected, Path actual) throws IOException {
    Map<String, byte[]> want = TestData.contents(expected);
    Map<String, byte[]> got = TestData.contents(actual);
    got.keySet().removeIf(n -> !n.endsWith(".png"));
    assertEquals(want.keySet(), got.keySet());
    want.forEach((name, bytes) -> assertArrayEquals(bytes, got.get(name), name + " differs from 'sr upscale'"));
  }

  @Test
  void bicubicOfSet5AndSet14IsByteIdenticalToSrUpscaleAndASecondRunSkipsEverything() throws IOException {
    Path in = TestData.copyHr(dir.resolve("hr"), "Set5", "Set14");
    Path local = dir.resolve("local");
    TestData.sr("upscale", "-m", "bicubic", "-s", "3", "-i", in.toString(), "-o", local.toString());
    Path spark = dir.resolve("spark");
    ItemRunner.Run run = upscale(sc, "bicubic", in, spark, 0, 16);
    assertEquals(19, run.count(ManifestEntry.DONE));
    assertSamePngs(local, spark);

    List<ManifestEntry> manifest = TestData.manifest(spark.resolve("manifest.jsonl"));
    assertEquals(19, manifest.size());
    for (ManifestEntry e : manifest) {
      assertEquals(ManifestEntry.DONE, e.status());
      byte[] png = Files.readAllBytes(spark.resolve(e.item() + ".png"));
      assertEquals(HexFormat.of().formatHex(HadoopFiles.sha256().digest(png)), e.outputs().get(0).sha256(), e.item());
      assertEquals(png.length, e.outputs().get(0).bytes());
      assertEquals("bicubic", e.model());
    }

    var times = TestData.pngTimes(spark);
    ItemRunner.Run again = upscale(sc, "bicubic", in, spark, 0, 16);
    assertEquals(19, again.count(ManifestEntry.SKIPPED));
    assertEquals(times, TestData.pngTimes(spark), "a second run rewrote outputs");
    assertEquals(38, TestData.manifest(spark.resolve("manifest.jsonl")).size());
    assertTrue(Files.notExists(spark.resolve(Manifest.PARTS)) || TestData.contents(spark.resolve(Manifest.PARTS))
        .isEmpty(), "part files are folded into manifest.jsonl");
  }

  @Test
  void srcnnOfSet5AndSet14IsByteIdenticalToSrUpscaleWholeAndTiledWithTheModelRestoredOncePerTaskSlot()
      throws IOException {
    Path in = TestData.writeLr(dir.resolve("lr"), 3, "Set5", "Set14");
    String model = TestData.SRCNN_X3.toString();
    int restoredBefore = ModelPool.restoredCount();
    Path spark = dir.resolve("spark");
    assertEquals(19, upscale(sc, model, in, spark, 0, 16).count(ManifestEntry.DONE));
    int restored = ModelPool.restoredCount() - restoredBefore;
    // local[2] runs two tasks at a time: at most one model per task slot, whatever the number of images
    assertTrue(restored <= 2, "model restored " + restored + " times for 19 images");
    Path local = dir.resolve("local");
    TestData.sr("upscale", "-m", model, "-s", "3", "-i", in.toString(), "-o", local.toString());
    assertSamePngs(local, spark);

    Path set5 = TestData.writeLr(dir.resolve("set5-lr"), 3, "Set5");
    Path sparkTiled = dir.resolve("spark-tiled");
    assertEquals(5, upscale(sc, model, set5, sparkTiled, 40, 6).count(ManifestEntry.DONE));
    Path localTiled = dir.resolve("local-tiled");
    TestData.sr("upscale", "-m", model, "-s", "3", "-i", set5.toString(), "-o", localTiled.toString(), "--tile", "40",
        "--tile-pad", "6");
    assertSamePngs(localTiled, sparkTiled);
    assertEquals(restored, ModelPool.restoredCount() - restoredBefore, "the tiled run reuses the executor's model");
  }
}
