package io.sr4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.data.prep.SubImageExtractor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrepareJobTest {
  private static final SubImageExtractor.Options SUB = new SubImageExtractor.Options(96, 48, 0);
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

  private static ItemRunner.Run prepare(Path in, Path out, List<Integer> scales, SubImageExtractor.Options sub) {
    return PrepareJob.run(sc, new PrepareJob.Options(in.toString(), out.toString(), scales, sub, 0),
        new PrintWriter(new StringWriter()));
  }

  @Test
  void lrImagesAndSubImagesHaveTheBytesOfTheLocalCommands() throws IOException {
    Path hr = TestData.copyHr(dir.resolve("hr"), "Set5");
    Path out = dir.resolve("out");
    ItemRunner.Run run = prepare(hr, out, List.of(2, 4), SUB);
    assertEquals(5, run.count(ManifestEntry.DONE));

    for (int s : new int[] {2, 4}) {
      // LR files: MATLAB imresize(HR, 1/s) as 'sr resize' computes it, in DIV2K naming
      Path lr = Files.createDirectories(dir.resolve("lr-x" + s));
      for (Path f : ImageFiles.list(hr)) {
        TestData.sr("resize", "-s", Double.toString(1.0 / s), "-i", f.toString(), "-o",
            lr.resolve(io.sr4j.data.image.ImageFiles.stem(f) + "x" + s + ".png").toString());
      }
      UpscaleJobTest.assertSamePngs(lr, out.resolve("LR_bicubic/X" + s));
      // LR sub-images: what 'sr data extract-subimages' cuts from the HR/LR pairs
      Path lrSub = dir.resolve("lr-sub-x" + s);
      TestData.sr("data", "extract-subimages", "--input", hr.toString(), "--output", dir.resolve("pairs-hr-x" + s)
          .toString(), "--lr-input", lr.toString(), "--lr-output", lrSub.toString(), "--scale", Integer.toString(s),
          "--crop", "96", "--step", "48");
      UpscaleJobTest.assertSamePngs(lrSub, out.resolve("LR_bicubic/X" + s + "_sub"));
    }
    Path hrSub = dir.resolve("hr-sub");
    TestData.sr("data", "extract-subimages", "--input", hr.toString(), "--output", hrSub.toString(), "--crop", "96",
        "--step", "48");
    UpscaleJobTest.assertSamePngs(hrSub, out.resolve("HR_sub"));
    long files = TestData.contents(hrSub).size() + TestData.contents(out.resolve("LR_bicubic/X2")).size() * 2L
        + TestData.contents(out.resolve("LR_bicubic/X2_sub")).size() * 2L;
    assertEquals(files, run.entries().stream().mapToLong(e -> e.outputs().size()).sum());

    ItemRunner.Run again = prepare(hr, out, List.of(2, 4), SUB);
    assertEquals(5, again.count(ManifestEntry.SKIPPED));
    // other options are another job: nothing of the first counts as done
    assertEquals(5, prepare(hr, out, List.of(4), null).count(ManifestEntry.DONE));
  }

  @Test
  void anImageWhoseSidesAreNotMultiplesOfTheScaleCannotGiveAlignedSubImages() throws IOException {
    Path hr = Files.createDirectories(dir.resolve("hr"));
    ImageFiles.write(Image.of(10, 9, new float[90]), hr.resolve("odd.png"));
    ItemRunner.Run run = prepare(hr, dir.resolve("out"), List.of(2), new SubImageExtractor.Options(4, 4, 0));
    ManifestEntry e = run.entries().get(0);
    assertEquals(ManifestEntry.FAILED, e.status());
    assertTrue(e.error().endsWith("odd.png: a 10x9 image cannot be cut into aligned LR sub-images at x2; its sides "
        + "must be multiples of the scale, as DIV2K's are"), e.error());
  }
}
