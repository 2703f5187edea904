package io.sr4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.data.BadInputException;
import io.sr4j.infer.Models;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job interrupted in any way and run again does only what was not finished. */
class ResumeTest {
  private static JavaSparkContext sc;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    // local[2,2]: two task threads, and a failed task is tried a second time (as on a cluster)
    sc = new JavaSparkContext(new SparkConf().setMaster("local[2,2]").setAppName("sr4j test")
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1"));
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  private static ItemRunner.Run upscale(Path in, Path out, StringWriter log) {
    return UpscaleJob.run(sc, new UpscaleJob.Options(Models.ModelSpec.of("bicubic"), 2, in.toString(), false,
        out.toString(), 0, 16, 0), new PrintWriter(log, true));
  }

  private static Map<String, String> statuses(ItemRunner.Run run) {
    return run.entries().stream().collect(Collectors.toMap(ManifestEntry::item, ManifestEntry::status));
  }

  @Test
  void aFailedItemIsRecordedWithoutStoppingTheOthersAndIsTheOnlyOneRedone() throws IOException {
    Path in = TestData.copyHr(dir.resolve("in"), "Set5");
    Files.writeString(in.resolve("broken.png"), "not an image");
    Path out = dir.resolve("out");
    ItemRunner.Run first = upscale(in, out, new StringWriter());
    assertEquals(5, first.count(ManifestEntry.DONE));
    ManifestEntry failed = first.entries().stream().filter(e -> e.item().equals("broken")).findFirst().orElseThrow();
    assertEquals(ManifestEntry.FAILED, failed.status());
    assertTrue(failed.error().contains("broken.png"), failed.error());
    BadInputException e = assertThrows(BadInputException.class, first::requireNoFailures);
    assertTrue(e.getMessage().startsWith("1 of 6 items failed (first: broken: "), e.getMessage());
    Map<String, FileTime> before = TestData.pngTimes(out);

    Files.copy(in.resolve("baby.png"), in.resolve("broken.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    ItemRunner.Run second = upscale(in, out, new StringWriter());
    assertEquals(Map.of("baby", "skipped", "bird", "skipped", "butterfly", "skipped", "head", "skipped",
        "woman", "skipped", "broken", "done"), statuses(second));
    Map<String, FileTime> after = TestData.pngTimes(out);
    before.forEach((name, time) -> assertEquals(time, after.get(name), name + " was written again"));
    assertTrue(after.containsKey("broken.png"));
    assertEquals(12, TestData.manifest(out.resolve("manifest.jsonl")).size());
  }

  @Test
  void aRunWhoseDriverWasKilledIsFinishedFromItsPartFiles() throws IOException {
    Path in = TestData.copyHr(dir.resolve("in"), "Set5");
    Path out = dir.resolve("out");
    List<ManifestEntry> complete = upscale(in, out, new StringWriter()).entries();
    // What a kill leaves behind: no manifest.jsonl (the driver died before folding the run in), a part file whose
    // lines stop in the middle of the third item's line, and no outputs for the items after it.
    Files.delete(out.resolve("manifest.jsonl"));
    Path parts = Files.createDirectories(out.resolve(Manifest.PARTS));
    String third = Manifest.toJson(complete.get(2));
    Files.writeString(parts.resolve(complete.get(0).run() + "-p0-a0.jsonl"), Manifest.toJson(complete.get(0)) + "\n"
        + Manifest.toJson(complete.get(1)) + "\n" + third.substring(0, third.length() / 2), StandardCharsets.UTF_8);
    Files.delete(out.resolve(complete.get(3).item() + ".png"));
    Files.delete(out.resolve(complete.get(4).item() + ".png"));
    Map<String, FileTime> before = TestData.pngTimes(out);

    StringWriter log = new StringWriter();
    ItemRunner.Run resumed = upscale(in, out, log);
    assertTrue(log.toString().contains("ignored 1 unreadable line(s)"), log.toString());
    List<String> status = resumed.entries().stream().map(ManifestEntry::status).toList();
    assertEquals(List.of("skipped", "skipped", "done", "done", "done"), status);
    Map<String, FileTime> after = TestData.pngTimes(out);
    assertEquals(before.get(complete.get(0).item() + ".png"), after.get(complete.get(0).item() + ".png"));
    assertEquals(before.get(complete.get(1).item() + ".png"), after.get(complete.get(1).item() + ".png"));
    assertNotEquals(before.get(complete.get(2).item() + ".png"), after.get(complete.get(2).item() + ".png"));
    assertEquals(5, after.size());
    // the two readable lines of the killed run, then this run's five
    assertEquals(7, TestData.manifest(out.resolve("manifest.jsonl")).size());
    assertTrue(TestData.contents(parts).isEmpty(), "part files are removed once folded in");
  }

  @Test
  void aTaskThatDiesMidwayIsRetriedAndEveryItemEndsUpDoneOnce() {
    HadoopFiles files = new HadoopFiles(sc.hadoopConfiguration());
    String outDir = files.qualify(dir.resolve("out").toString());
    List<ItemRunner.Item> items = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      items.add(new ItemRunner.Item(i, "item" + i, "generated:" + i));
    }
    ItemRunner.Work work = item -> {
      String uri = HadoopFiles.resolve(outDir, item.name() + ".txt");
      byte[] content = item.name().getBytes(StandardCharsets.UTF_8);
      files.writeBytes(uri, content);
      if (item.index() == 1 && TaskContext.get().attemptNumber() == 0) {
        throw new AssertionError("the task dies after writing " + item.name()); // not an item failure: a lost task
      }
      return new ItemRunner.Result(List.of(OutputFile.of(uri, content)), Map.of(), null);
    };
    Manifest manifest = new Manifest(files, outDir);
    ItemRunner.Run run = ItemRunner.run(sc, files, manifest, "test", items, work, 2, new PrintWriter(new StringWriter()));
    assertEquals(6, run.count(ManifestEntry.DONE));
    // partition 0 (items 0-2) ran twice; its second attempt's lines are the ones kept
    assertEquals(List.of(1, 1, 1, 0, 0, 0), run.entries().stream().map(ManifestEntry::attempt).toList());
    assertEquals(6, TestData.manifest(files.localPath(manifest.fileUri())).size());
    assertTrue(files.listFiles(HadoopFiles.resolve(outDir, Manifest.PARTS)).isEmpty());
  }
}
