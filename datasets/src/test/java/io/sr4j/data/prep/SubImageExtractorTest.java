package io.sr4j.data.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.data.BadInputException;
import io.sr4j.data.Progress;
import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.data.pairs.PairedFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubImageExtractorTest {
  @TempDir Path dir;

  /** An RGB image whose red and green codes are the pixel's x and y, blue {@code mark}. */
  private static Image coordinates(int w, int h, int mark) {
    float[][] p = new float[3][w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        p[0][y * w + x] = x / 255f;
        p[1][y * w + x] = y / 255f;
        p[2][y * w + x] = mark / 255f;
      }
    }
    return Image.of(w, h, p);
  }

  private static List<String> names(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  /** Top-left (x, y) encoded in a written coordinate image. */
  private static int[] origin(Path file) {
    Image img = ImageFiles.read(file);
    return new int[] {Math.round(img.get(0, 0, 0) * 255), Math.round(img.get(1, 0, 0) * 255)};
  }

  @Test
  void positionsFollowBasicsrStepsPlusABorderFlushLastCrop() {
    SubImageExtractor.Options o = new SubImageExtractor.Options(4, 3, 0);
    assertEquals(List.of(0, 3, 6), SubImageExtractor.positions(10, o)); // 6 + 4 = 10: nothing left over
    assertEquals(List.of(0, 3, 6, 7), SubImageExtractor.positions(11, o)); // 1 px left > thresh 0
    assertEquals(List.of(0, 3, 6), SubImageExtractor.positions(11, new SubImageExtractor.Options(4, 3, 1)));
    assertEquals(List.of(0), SubImageExtractor.positions(4, o));
    assertEquals(List.of(), SubImageExtractor.positions(3, o));
    SubImageExtractor.Options div2k = new SubImageExtractor.Options(480, 240, 0);
    // A 2040x1356 DIV2K image: 8 columns x 5 rows = 40 sub-images.
    assertEquals(List.of(0, 240, 480, 720, 960, 1200, 1440, 1560), SubImageExtractor.positions(2040, div2k));
    assertEquals(List.of(0, 240, 480, 720, 876), SubImageExtractor.positions(1356, div2k));
  }

  @Test
  void cutsRowByRowIntoNumberedPngsWithoutTheScaleSuffix() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    ImageFiles.write(coordinates(11, 10, 9), in.resolve("0007x4.png"));
    Path out = dir.resolve("out");
    SubImageExtractor.Summary s =
        SubImageExtractor.extract(in, out, new SubImageExtractor.Options(4, 3, 0), 2, Progress.NONE);
    assertEquals(new SubImageExtractor.Summary(1, 12), s);
    List<String> expectedNames = new java.util.ArrayList<>();
    for (int k = 1; k <= 12; k++) {
      expectedNames.add(String.format("0007_s%03d.png", k));
    }
    assertEquals(expectedNames, names(out));
    int[] cols = {0, 3, 6, 7};
    int[] rows = {0, 3, 6};
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 4; c++) {
        Path f = out.resolve(String.format("0007_s%03d.png", r * 4 + c + 1));
        assertEquals(4, ImageFiles.read(f).width());
        int[] at = origin(f);
        assertEquals(cols[c], at[0], f.toString());
        assertEquals(rows[r], at[1], f.toString());
      }
    }
  }

  @Test
  void lrSubImagesAreCutAtTheHrPositionsDividedByTheScale() throws IOException {
    Path hr = Files.createDirectories(dir.resolve("hr"));
    Path lr = Files.createDirectories(dir.resolve("lr"));
    ImageFiles.write(coordinates(24, 20, 1), hr.resolve("a.png"));
    ImageFiles.write(coordinates(12, 10, 2), lr.resolve("ax2.png"));
    PairedFolder pairs = PairedFolder.withLrFolder(hr, lr, 2);
    SubImageExtractor.Summary s = SubImageExtractor.extractPairs(pairs, dir.resolve("hr_sub"), dir.resolve("lr_sub"),
        new SubImageExtractor.Options(8, 6, 0), 2, Progress.NONE);
    assertEquals(12, s.subImages()); // columns 0, 6, 12, 16; rows 0, 6, 12
    assertEquals(names(dir.resolve("hr_sub")), names(dir.resolve("lr_sub")));
    for (String name : names(dir.resolve("hr_sub"))) {
      Image h = ImageFiles.read(dir.resolve("hr_sub").resolve(name));
      Image l = ImageFiles.read(dir.resolve("lr_sub").resolve(name));
      assertEquals(8, h.width());
      assertEquals(4, l.width());
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 4; x++) {
          assertEquals(Math.round(h.get(0, 2 * x, 2 * y) * 255) / 2, Math.round(l.get(0, x, y) * 255), name);
          assertEquals(Math.round(h.get(1, 2 * x, 2 * y) * 255) / 2, Math.round(l.get(1, x, y) * 255), name);
        }
      }
    }
    int[] last = origin(dir.resolve("lr_sub").resolve("a_s012.png"));
    assertEquals(8, last[0]); // HR 16 / 2
    assertEquals(6, last[1]); // HR 12 / 2
  }

  @Test
  void refusesNonEmptyOutputsSmallImagesAndUnalignedGeometry() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    ImageFiles.write(coordinates(11, 10, 9), in.resolve("big.png"));
    ImageFiles.write(coordinates(5, 3, 9), in.resolve("small.png"));
    BadInputException small = assertThrows(BadInputException.class,
        () -> SubImageExtractor.extract(in, dir.resolve("o1"), new SubImageExtractor.Options(4, 3, 0), 1, Progress.NONE));
    assertTrue(small.getMessage().contains("small.png") && small.getMessage().contains("5x3"), small.getMessage());
    Path used = Files.createDirectories(dir.resolve("used"));
    Files.writeString(used.resolve("keep.txt"), "x");
    BadInputException nonEmpty = assertThrows(BadInputException.class,
        () -> SubImageExtractor.extract(in, used, new SubImageExtractor.Options(3, 3, 0), 1, Progress.NONE));
    assertTrue(nonEmpty.getMessage().contains("not empty"), nonEmpty.getMessage());
    Path lr = Files.createDirectories(dir.resolve("lr"));
    Files.delete(in.resolve("small.png"));
    ImageFiles.write(coordinates(5, 5, 9), lr.resolve("bigx2.png"));
    PairedFolder pairs = PairedFolder.withLrFolder(in, lr, 2);
    BadInputException unaligned = assertThrows(BadInputException.class, () -> SubImageExtractor.extractPairs(pairs,
        dir.resolve("a"), dir.resolve("b"), new SubImageExtractor.Options(5, 4, 0), 1, Progress.NONE));
    assertTrue(unaligned.getMessage().contains("multiples of the scale 2"), unaligned.getMessage());
  }
}
