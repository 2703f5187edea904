package io.sr4j.data.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.data.BadInputException;
import io.sr4j.data.color.YCbCr;
import io.sr4j.data.image.Image;
import io.sr4j.data.pairs.LrSynthesis;
import io.sr4j.data.pairs.PairedFolder;
import io.sr4j.data.resize.Imresize;
import io.sr4j.data.resize.ResizeKernel;
import io.sr4j.data.resize.SampleType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RandomPatchSourceTest {
  private static final int HR_MARK = 7; // blue code of every HR pixel
  private static final int LR_MARK = 200; // blue code of every LR pixel

  @TempDir Path dir;

  private static RandomPatchOptions options(int gtSizePx, int batchSize, boolean hflip, boolean rot, long seed) {
    return new RandomPatchOptions(gtSizePx, batchSize, hflip, rot, 1, seed, PatchColor.RGB,
        RandomPatchOptions.DEFAULT_MEMORY_BUDGET_BYTES, null, 0, 0);
  }

  /** Random HR images (sizes not multiples of 4) in a folder, LR to be synthesised. */
  private PairedFolder randomHrFolder(int scale) throws IOException {
    Path hr = Files.createDirectories(dir.resolve("random-hr"));
    TestImages.write(TestImages.random(50, 37, 1), hr.resolve("a.png"));
    TestImages.write(TestImages.random(41, 45, 2), hr.resolve("b.png"));
    TestImages.write(TestImages.random(64, 33, 3), hr.resolve("c.png"));
    return PairedFolder.synthesized(hr, scale, LrSynthesis.RGB8);
  }

  /**
   * HR and LR folders (DIV2K naming) whose pixels encode their own coordinates: HR (X, Y) has red X and green Y,
   * LR (x, y) has red x and green y, so an HR pixel belongs to LR pixel (X / s, Y / s).
   */
  private PairedFolder coordinateFolders(int scale) throws IOException {
    Path hr = Files.createDirectories(dir.resolve("coord-hr"));
    Path lr = Files.createDirectories(dir.resolve("coord-lr"));
    int[][] lrSizes = {{32, 24}, {20, 20}};
    for (int i = 0; i < lrSizes.length; i++) {
      int w = lrSizes[i][0];
      int h = lrSizes[i][1];
      TestImages.write(TestImages.rgb(w * scale + 1, h * scale, (c, x, y) -> c == 0 ? x : c == 1 ? y : HR_MARK),
          hr.resolve("im" + i + ".png")); // one extra HR column, as DIV2K HR files may have
      TestImages.write(TestImages.rgb(w, h, (c, x, y) -> c == 0 ? x : c == 1 ? y : LR_MARK),
          lr.resolve("im" + i + "x" + scale + ".png"));
    }
    return PairedFolder.withLrFolder(hr, lr, scale);
  }

  @Test
  void sameIndexGivesTheSameBatchAcrossCallsThreadsAndInstances() throws Exception {
    PairedFolder folder = randomHrFolder(2);
    RandomPatchSource a = RandomPatchSource.open(folder, options(16, 4, true, true, 11));
    List<PatchBatch> sequential = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      sequential.add(a.batch(i));
    }
    for (int i = 11; i >= 0; i--) {
      assertEquals(sequential.get(i), a.batch(i), "repeated call, batch " + i);
    }
    RandomPatchSource fresh = RandomPatchSource.open(folder, options(16, 4, true, true, 11));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<PatchBatch>> futures = new ArrayList<>();
      for (int i = 11; i >= 0; i--) {
        long index = i;
        futures.add(pool.submit(() -> fresh.batch(index)));
      }
      for (int k = 0; k < futures.size(); k++) {
        assertEquals(sequential.get(11 - k), futures.get(k).get(), "batch " + (11 - k) + " from a pool thread");
      }
    } finally {
      pool.shutdownNow();
    }
    RandomPatchSource otherSeed = RandomPatchSource.open(folder, options(16, 4, true, true, 12));
    for (int i = 0; i < 3; i++) {
      assertNotEquals(sequential.get(i), otherSeed.batch(i), "batch " + i + " with another seed");
    }
  }

  @Test
  void batchHasTheDocumentedShape() throws IOException {
    PatchBatch b = RandomPatchSource.open(randomHrFolder(4), options(16, 3, true, true, 1)).batch(0);
    assertEquals(3, b.n());
    assertEquals(3, b.channels());
    assertEquals(4, b.lrHeight());
    assertEquals(4, b.lrWidth());
    assertEquals(4, b.scale());
    assertEquals(16, b.hrHeight());
    assertEquals(3 * 3 * 4 * 4, b.lr().length);
    assertEquals(3 * 3 * 16 * 16, b.hr().length);
  }

  @Test
  void lrAndHrPatchesStayAlignedUnderEveryFlipAndRotation() throws IOException {
    int scale = 2;
    PairedFolder folder = coordinateFolders(scale);
    Set<String> both = new HashSet<>();
    Set<String> hflipOnly = new HashSet<>();
    Set<String> none = new HashSet<>();
    RandomPatchSource all = RandomPatchSource.open(folder, options(16, 8, true, true, 3));
    RandomPatchSource flips = RandomPatchSource.open(folder, options(16, 8, true, false, 3));
    RandomPatchSource plain = RandomPatchSource.open(folder, options(16, 8, false, false, 3));
    for (int b = 0; b < 12; b++) {
      for (int k = 0; k < 8; k++) {
        both.add(checkAlignedAndGetOrientation(all.batch(b), k, scale));
        hflipOnly.add(checkAlignedAndGetOrientation(flips.batch(b), k, scale));
        none.add(checkAlignedAndGetOrientation(plain.batch(b), k, scale));
      }
    }
    assertEquals(8, both.size(), "all 8 flips/rotations occur: " + both);
    assertEquals(Set.of("(1,0)(0,1)", "(-1,0)(0,1)"), hflipOnly);
    assertEquals(Set.of("(1,0)(0,1)"), none);
  }

  /**
   * Checks that LR patch {@code k} is an affine image of LR coordinates, that its HR patch is the same map of HR
   * coordinates and that every HR pixel lies in the LR pixel at the same place; returns the map's steps
   * ("(dx,dy)" per patch column, then per patch row).
   */
  private static String checkAlignedAndGetOrientation(PatchBatch batch, int k, int scale) {
    int lp = batch.lrWidth();
    int gt = batch.hrWidth();
    float[] lr = batch.lrPatch(k);
    float[] hr = batch.hrPatch(k);
    int[][] lrXy = coordinates(lr, lp, LR_MARK);
    int[][] hrXy = coordinates(hr, gt, HR_MARK);
    int[] colStep = {lrXy[0][1] - lrXy[0][0], lrXy[1][1] - lrXy[1][0]};
    int[] rowStep = {lrXy[0][lp] - lrXy[0][0], lrXy[1][lp] - lrXy[1][0]};
    assertEquals(1, Math.abs(colStep[0]) + Math.abs(colStep[1]), "unit step along a patch row");
    assertEquals(1, Math.abs(rowStep[0]) + Math.abs(rowStep[1]), "unit step along a patch column");
    assertEquals(0, colStep[0] * rowStep[0] + colStep[1] * rowStep[1], "perpendicular steps");
    for (int y = 0; y < lp; y++) {
      for (int x = 0; x < lp; x++) {
        for (int axis = 0; axis < 2; axis++) {
          assertEquals(lrXy[axis][0] + x * colStep[axis] + y * rowStep[axis], lrXy[axis][y * lp + x],
              "LR patch pixel (" + x + "," + y + ") axis " + axis);
        }
      }
    }
    for (int y = 0; y < gt; y++) {
      for (int x = 0; x < gt; x++) {
        for (int axis = 0; axis < 2; axis++) {
          int hrCoord = hrXy[axis][y * gt + x];
          assertEquals(hrXy[axis][0] + x * colStep[axis] + y * rowStep[axis], hrCoord,
              "HR patch pixel (" + x + "," + y + ") axis " + axis);
          assertEquals(lrXy[axis][(y / scale) * lp + x / scale], hrCoord / scale,
              "HR patch pixel (" + x + "," + y + ") lies in its LR pixel, axis " + axis);
        }
      }
    }
    return "(" + colStep[0] + "," + colStep[1] + ")(" + rowStep[0] + "," + rowStep[1] + ")";
  }

  @Test
  void misalignedHrCropsAreMovedByUpToTheGivenOffsetAndStayReproducible() throws IOException {
    int scale = 2;
    PairedFolder folder = coordinateFolders(scale);
    RandomPatchOptions aligned = options(16, 8, false, false, 5);
    RandomPatchSource plain = RandomPatchSource.open(folder, aligned);
    RandomPatchSource moved = RandomPatchSource.open(folder, aligned.withMisalignment(3, 0));
    assertTrue(moved.describe().contains("MISALIGNED on purpose: HR crops moved by up to 3 px"), moved.describe());
    Set<Integer> dx = new HashSet<>();
    Set<Integer> dy = new HashSet<>();
    for (int b = 0; b < 20; b++) {
      PatchBatch a = plain.batch(b);
      PatchBatch m = moved.batch(b);
      assertArrayEquals(a.lr(), m.lr(), "the LR crops are those of the aligned pairs, batch " + b);
      for (int k = 0; k < m.n(); k++) {
        int[][] lrXy = coordinates(m.lrPatch(k), 8, LR_MARK);
        int[][] hrXy = coordinates(m.hrPatch(k), 16, HR_MARK);
        for (int y = 0; y < 16; y++) {
          for (int x = 0; x < 16; x++) {
            assertEquals(hrXy[0][0] + x, hrXy[0][y * 16 + x], "a plain HR crop");
            assertEquals(hrXy[1][0] + y, hrXy[1][y * 16 + x], "a plain HR crop");
          }
        }
        int offX = hrXy[0][0] - scale * lrXy[0][0];
        int offY = hrXy[1][0] - scale * lrXy[1][0];
        assertTrue(Math.abs(offX) <= 3 && Math.abs(offY) <= 3, offX + "," + offY);
        dx.add(offX);
        dy.add(offY);
      }
    }
    Set<Integer> all = Set.of(-3, -2, -1, 0, 1, 2, 3);
    assertEquals(all, dx, "every offset occurs");
    assertEquals(all, dy, "every offset occurs");
    RandomPatchOptions flipped = options(16, 8, true, true, 5).withMisalignment(3, 2);
    RandomPatchSource first = RandomPatchSource.open(folder, flipped);
    RandomPatchSource second = RandomPatchSource.open(folder, flipped);
    for (int b = 5; b >= 0; b--) {
      assertEquals(first.batch(b), second.batch(b), "a pure function of seed and index, batch " + b);
    }
    assertNotEquals(first.batch(0), RandomPatchSource.open(folder,
        options(16, 8, true, true, 6).withMisalignment(3, 2)).batch(0));
  }

  @Test
  void rotatedHrCropsTurnAboutTheAlignedCentreByUpToTheGivenAngle() throws IOException {
    Path hrDir = Files.createDirectories(dir.resolve("coord-big"));
    int side = 120; // HR pixels encode their coordinates: red X, green Y
    TestImages.write(TestImages.rgb(side, side, (c, x, y) -> c == 0 ? x : c == 1 ? y : HR_MARK), hrDir.resolve("a.png"));
    int scale = 2;
    int gt = 16;
    RandomPatchSource src = RandomPatchSource.open(PairedFolder.synthesized(hrDir, scale, LrSynthesis.RGB8),
        options(gt, 8, false, false, 3).withMisalignment(0, 5));
    double c = (gt - 1) / 2.0;
    double sumUu = 0;
    for (int u = 0; u < gt; u++) {
      sumUu += gt * (u - c) * (u - c);
    }
    int negative = 0;
    int positive = 0;
    int measured = 0;
    for (int b = 0; b < 10; b++) {
      PatchBatch batch = src.batch(b);
      for (int k = 0; k < batch.n(); k++) {
        int[][] xy = coordinates(batch.hrPatch(k), gt, HR_MARK);
        if (java.util.Arrays.stream(xy[0]).min().orElseThrow() < 3 || java.util.Arrays.stream(xy[0]).max().orElseThrow() > side - 4
            || java.util.Arrays.stream(xy[1]).min().orElseThrow() < 3 || java.util.Arrays.stream(xy[1]).max().orElseThrow() > side - 4) {
          continue; // near the image's edge, where edge pixels are repeated
        }
        // least squares of X over the patch grid: X = mean + cos(a) (u - c) + sin(a) (v - c)
        double mean = 0;
        double alongU = 0;
        double alongV = 0;
        for (int v = 0; v < gt; v++) {
          for (int u = 0; u < gt; u++) {
            double x = xy[0][v * gt + u];
            mean += x / (gt * gt);
            alongU += x * (u - c) / sumUu;
            alongV += x * (v - c) / sumUu;
          }
        }
        double angleDeg = Math.toDegrees(Math.atan2(alongV, alongU));
        assertTrue(Math.abs(angleDeg) <= 5.3, "angle " + angleDeg);
        assertEquals(1, Math.hypot(alongU, alongV), 0.02, "a rotation, not a scaling");
        double alignedX = mean - c; // the aligned crop starts at an even HR column (a multiple of the scale)
        assertEquals(Math.round(alignedX / scale) * scale, alignedX, 0.3, "rotated about the aligned crop's centre");
        negative += angleDeg < -1.5 ? 1 : 0;
        positive += angleDeg > 1.5 ? 1 : 0;
        measured++;
      }
    }
    assertTrue(measured > 40, "patches away from the edges: " + measured);
    assertTrue(negative > 5 && positive > 5, "angles of both signs: " + negative + " < 0, " + positive + " > 0");
  }

  /** Red and green codes of a [3][s][s] patch; checks blue is {@code mark} everywhere. */
  private static int[][] coordinates(float[] patch, int s, int mark) {
    int area = s * s;
    int[][] xy = new int[2][area];
    for (int i = 0; i < area; i++) {
      xy[0][i] = TestImages.code(patch[i]);
      xy[1][i] = TestImages.code(patch[area + i]);
      assertEquals(mark, TestImages.code(patch[2 * area + i]), "blue plane");
    }
    return xy;
  }

  @Test
  void synthesisedLrPatchesAreMatlabBicubicOfTheHrPatchRegion() throws IOException {
    int scale = 4;
    Path hrDir = Files.createDirectories(dir.resolve("one"));
    Image hr = TestImages.random(50, 37, 5);
    TestImages.write(hr, hrDir.resolve("x.png"));
    Image cropped = hr.cropTopLeft(48, 36);
    Image lrFull = Imresize.resize(cropped, 0.25, ResizeKernel.BICUBIC, SampleType.UINT8);
    RandomPatchSource src = RandomPatchSource.open(PairedFolder.synthesized(hrDir, scale, LrSynthesis.RGB8),
        options(16, 4, false, false, 8));
    Set<String> places = new HashSet<>();
    for (int b = 0; b < 5; b++) {
      PatchBatch batch = src.batch(b);
      for (int k = 0; k < batch.n(); k++) {
        int[] at = locate(cropped, batch.hrPatch(k), 16, scale);
        places.add(at[0] + "," + at[1]);
        assertArrayEquals(planes(lrFull.crop(at[0] / scale, at[1] / scale, 4, 4)), batch.lrPatch(k),
            "LR patch of the HR patch at " + at[0] + "," + at[1]);
      }
    }
    assertTrue(places.size() > 5, "crops land at several places: " + places);
  }

  /** Top-left HR corner (a multiple of the scale) where {@code patch} lies in {@code image}. */
  private static int[] locate(Image image, float[] patch, int size, int scale) {
    for (int y = 0; y + size <= image.height(); y += scale) {
      for (int x = 0; x + size <= image.width(); x += scale) {
        if (java.util.Arrays.equals(planes(image.crop(x, y, size, size)), patch)) {
          return new int[] {x, y};
        }
      }
    }
    throw new AssertionError("HR patch not found at any scale-aligned position");
  }

  private static float[] planes(Image image) {
    int area = image.width() * image.height();
    float[] out = new float[image.channels() * area];
    for (int c = 0; c < image.channels(); c++) {
      System.arraycopy(image.plane(c), 0, out, c * area, area);
    }
    return out;
  }

  @Test
  void patchesDecodedFromDiskEqualPatchesHeldInMemory() throws IOException {
    PairedFolder synthesised = randomHrFolder(2);
    PairedFolder withLr = coordinateFolders(3);
    Path cache = dir.resolve("cache");
    for (PairedFolder folder : List.of(synthesised, withLr)) {
      RandomPatchOptions o = options(12, 5, true, true, 4);
      RandomPatchSource memory = RandomPatchSource.open(folder, o);
      RandomPatchOptions disk = new RandomPatchOptions(12, 5, true, true, 1, 4, PatchColor.RGB, 0, cache, 0, 0);
      RandomPatchSource onDisk = RandomPatchSource.open(folder, disk);
      assertTrue(memory.inMemory(), memory.describe());
      assertFalse(onDisk.inMemory(), onDisk.describe());
      assertTrue(memory.describe().contains("in memory"), memory.describe());
      assertTrue(onDisk.describe().contains("from disk"), onDisk.describe());
      for (int b = 0; b < 6; b++) {
        assertEquals(memory.batch(b), onDisk.batch(b), "batch " + b + " of " + folder.hrDir());
      }
    }
    try (var files = Files.list(cache)) {
      assertEquals(3, files.count(), "one cached LR file per synthesised image");
    }
  }

  @Test
  void yPatchesAreBt601LumaOfTheRgbPatches() throws IOException {
    PairedFolder folder = randomHrFolder(2);
    RandomPatchSource rgb = RandomPatchSource.open(folder, options(8, 3, true, true, 21));
    RandomPatchSource y = RandomPatchSource.open(folder, options(8, 3, true, true, 21).withColor(PatchColor.Y));
    for (int b = 0; b < 3; b++) {
      PatchBatch c = rgb.batch(b);
      PatchBatch l = y.batch(b);
      assertEquals(1, l.channels());
      for (int k = 0; k < c.n(); k++) {
        assertArrayEquals(luma(c.lrPatch(k)), l.lrPatch(k), 1e-6f);
        assertArrayEquals(luma(c.hrPatch(k)), l.hrPatch(k), 1e-6f);
      }
    }
  }

  private static float[] luma(float[] rgbPatch) {
    int area = rgbPatch.length / 3;
    float[] out = new float[area];
    for (int i = 0; i < area; i++) {
      out[i] = (float) (YCbCr.lumaCode(TestImages.code(rgbPatch[i]), TestImages.code(rgbPatch[area + i]),
          TestImages.code(rgbPatch[2 * area + i])) / 255);
    }
    return out;
  }

  @Test
  void everyImageIsVisitedEnlargeRatioTimesPerEpoch() throws IOException {
    Path hrDir = Files.createDirectories(dir.resolve("flat"));
    int images = 5;
    for (int i = 0; i < images; i++) {
      int code = 10 * i + 5;
      TestImages.write(TestImages.rgb(20, 20, (c, x, y) -> code), hrDir.resolve("f" + i + ".png"));
    }
    PairedFolder folder = PairedFolder.synthesized(hrDir, 2, LrSynthesis.RGB8);
    RandomPatchSource src = RandomPatchSource.open(folder,
        new RandomPatchOptions(8, 4, true, true, 2, 6, PatchColor.RGB, RandomPatchOptions.DEFAULT_MEMORY_BUDGET_BYTES, null, 0, 0));
    assertEquals(10, src.samplesPerEpoch());
    assertEquals(0, src.epochOf(2)); // positions 8..11: starts in epoch 0
    assertEquals(1, src.epochOf(3)); // positions 12..15
    assertEquals(2, src.epochOf(5)); // positions 20..23
    List<Integer> visits = new ArrayList<>();
    for (int b = 0; b < 5; b++) { // 20 positions = epochs 0 and 1
      PatchBatch batch = src.batch(b);
      for (int k = 0; k < batch.n(); k++) {
        visits.add((TestImages.code(batch.hrPatch(k)[0]) - 5) / 10);
      }
    }
    for (int epoch = 0; epoch < 2; epoch++) {
      int[] count = new int[images];
      for (int image : visits.subList(epoch * 10, epoch * 10 + 10)) {
        count[image]++;
      }
      assertArrayEquals(new int[] {2, 2, 2, 2, 2}, count, "epoch " + epoch + ": " + visits);
    }
    assertNotEquals(visits.subList(0, 10), visits.subList(10, 20), "each epoch has its own order");
  }

  @Test
  void imagesSmallerThanThePatchAreRejectedNamingFileAndSizes() throws IOException {
    Path hrDir = Files.createDirectories(dir.resolve("small"));
    TestImages.write(TestImages.random(40, 40, 1), hrDir.resolve("big.png"));
    TestImages.write(TestImages.random(30, 41, 1), hrDir.resolve("tiny.png"));
    PairedFolder folder = PairedFolder.synthesized(hrDir, 2, LrSynthesis.RGB8);
    BadInputException e = assertThrows(BadInputException.class,
        () -> RandomPatchSource.open(folder, options(32, 2, true, true, 1)));
    assertTrue(e.getMessage().contains("tiny.png"), e.getMessage());
    assertTrue(e.getMessage().contains("32x32 HR patch"), e.getMessage());
    assertTrue(e.getMessage().contains("30x40"), e.getMessage());
    BadInputException odd = assertThrows(BadInputException.class,
        () -> RandomPatchSource.open(folder, options(15, 2, true, true, 1)));
    assertTrue(odd.getMessage().contains("not a multiple of the scale 2"), odd.getMessage());
  }
}
