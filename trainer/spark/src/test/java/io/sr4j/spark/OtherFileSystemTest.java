package io.sr4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.infer.Models;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs on a file system other than the local one (as HDFS or S3 would be): images pass through local temporary
 * copies, outputs are uploaded under a temporary name and renamed. The file system here is a Hadoop file system of
 * its own scheme, {@code testfs:}, that keeps its files in local folders.
 */
class OtherFileSystemTest {
  /** The local file system under another scheme: Hadoop treats it as a remote one. */
  public static final class TestFileSystem extends RawLocalFileSystem {
    @Override
    public URI getUri() {
      return URI.create("testfs:///");
    }

    @Override
    public String getScheme() {
      return "testfs";
    }
  }

  private static JavaSparkContext sc;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    sc = TestData.localSpark();
    sc.hadoopConfiguration().set("fs.testfs.impl", TestFileSystem.class.getName());
    sc.hadoopConfiguration().set("fs.testfs.impl.disable.cache", "true");
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  @Test
  void upscaleFromAndToAnotherFileSystemWritesTheBytesOfSrUpscale() throws IOException {
    Path in = TestData.copyHr(dir.resolve("in"), "Set5");
    Path local = dir.resolve("local");
    TestData.sr("upscale", "-m", "bicubic", "-s", "2", "-i", in.toString(), "-o", local.toString());
    Path out = dir.resolve("out");
    ItemRunner.Run run = UpscaleJob.run(sc, new UpscaleJob.Options(Models.ModelSpec.of("bicubic"), 2, "testfs:" + in,
        false, "testfs:" + out, 0, 16, 0), new PrintWriter(new StringWriter()));
    assertEquals(5, run.count(ManifestEntry.DONE));
    assertTrue(run.entries().get(0).outputs().get(0).uri().startsWith("testfs:"), run.entries().get(0).toString());
    UpscaleJobTest.assertSamePngs(local, out);
    try (var files = Files.list(out)) {
      assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".part")), "temporary files left behind");
    }
    assertEquals(5, TestData.manifest(out.resolve("manifest.jsonl")).size());
  }

  @Test
  void anInputListNamesImagesRelativeToItsFolderOrByUri() throws IOException {
    Path in = TestData.copyHr(dir.resolve("in"), "Set5");
    Path list = Files.writeString(in.resolve("list.txt"), "bird.png\n\n  head.png\ntestfs:" + in.resolve("baby.png")
        + "\n");
    Path out = dir.resolve("out");
    ItemRunner.Run run = UpscaleJob.run(sc, new UpscaleJob.Options(Models.ModelSpec.of("bicubic"), 2, list.toString(),
        true, out.toString(), 0, 16, 0), new PrintWriter(new StringWriter()));
    assertEquals(List.of("bird", "head", "baby"), run.entries().stream().map(ManifestEntry::item).toList());
    assertEquals(3, run.count(ManifestEntry.DONE));
    assertTrue(Files.isRegularFile(out.resolve("baby.png")));
  }
}
