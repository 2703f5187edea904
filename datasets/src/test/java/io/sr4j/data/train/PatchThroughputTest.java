package io.sr4j.data.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PatchThroughputTest {
  @TempDir Path dir;

  @Test
  void countsTheTimedBatchesAndTheirPatches() throws Exception {
    Files.createDirectories(dir.resolve("hr"));
    TestImages.write(TestImages.random(40, 40, 1), dir.resolve("hr/a.png"));
    SrcnnSubImageSource source =
        SrcnnSubImageSource.fromHrFolder(dir.resolve("hr"), new SrcnnSubImageOptions(2, 11, 5, 7, 1, 1));
    PatchThroughput.Result r = PatchThroughput.measure(source, 2, 3, 20);
    assertEquals(20, r.batches());
    assertEquals(140, r.patches());
    assertEquals(2, r.threads());
    assertTrue(r.seconds() > 0 && r.patchesPerSecond() > 0, r.toString());
    assertEquals(r.batchesPerSecond() * 7, r.patchesPerSecond(), 1e-6 * r.patchesPerSecond());
  }
}
