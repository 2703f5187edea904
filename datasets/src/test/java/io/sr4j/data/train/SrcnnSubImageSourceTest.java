package io.sr4j.data.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.data.BadInputException;
import io.sr4j.data.image.Image;
import io.sr4j.data.pairs.BundledData;
import io.sr4j.data.resize.Imresize;
import io.sr4j.data.resize.ResizeBorder;
import io.sr4j.data.resize.ResizeKernel;
import io.sr4j.data.resize.SampleType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SrcnnSubImageSourceTest {
  @TempDir Path dir;

  @Test
  void subImagesOfASmallImageMatchTheSrcnnRecipeComputedByHand() throws IOException {
    Image rgb = TestImages.random(50, 47, 3);
    Files.createDirectories(dir.resolve("hr"));
    TestImages.write(rgb, dir.resolve("hr/p.png"));
    // modcrop(3): 48x45 -> sub-images at x = 0, 14 (14 + 33 <= 48) and y = 0 (14 + 33 > 45).
    int w = 48;
    int h = 45;
    float[] y = new float[w * h];
    for (int j = 0; j < h; j++) {
      for (int i = 0; i < w; i++) {
        // MATLAB rgb2ycbcr on uint8: (1/255) * [65.481 128.553 24.966] * [R G B]' + 16 in double, rounded
        double luma = (1 / 255.0) * 65.481 * TestImages.code(rgb.get(0, i, j))
            + (1 / 255.0) * 128.553 * TestImages.code(rgb.get(1, i, j))
            + (1 / 255.0) * 24.966 * TestImages.code(rgb.get(2, i, j)) + 16;
        y[j * w + i] = Math.round(luma) / 255f;
      }
    }
    Image label = Image.of(w, h, y);
    // both resizes replicate the edge samples, as the MATLAB imresize of the SRCNN release did
    Image lr = Imresize.resize(label, 1.0 / 3, ResizeKernel.BICUBIC, SampleType.FLOAT, ResizeBorder.REPLICATE);
    assertEquals(16, lr.width());
    assertEquals(15, lr.height());
    Image input = Imresize.resizeTo(lr, w, h, ResizeKernel.BICUBIC, SampleType.FLOAT, ResizeBorder.REPLICATE);
    List<float[][]> expected = List.of(
        new float[][] {input.crop(0, 0, 33, 33).plane(0), label.crop(0, 0, 33, 33).plane(0)},
        new float[][] {input.crop(14, 0, 33, 33).plane(0), label.crop(14, 0, 33, 33).plane(0)});

    SrcnnSubImageSource src = SrcnnSubImageSource.fromHrFolder(dir.resolve("hr"), SrcnnSubImageOptions.srcnn(3, 1, 5));
    assertEquals(2, src.subImageCount());
    assertEquals(2, src.samplesPerEpoch());
    List<Integer> found = new ArrayList<>();
    for (int b = 0; b < 2; b++) {
      PatchBatch batch = src.batch(b);
      assertEquals(1, batch.channels());
      assertEquals(1, batch.scale());
      assertEquals(33, batch.lrWidth());
      assertEquals(33, batch.hrWidth());
      for (int k = 0; k < expected.size(); k++) {
        if (Arrays.equals(expected.get(k)[1], batch.hr())) {
          assertArrayEquals(expected.get(k)[0], batch.lr(), "input of sub-image " + k);
          found.add(k);
        }
      }
    }
    found.sort(null);
    assertEquals(List.of(0, 1), found, "one epoch visits both sub-images once");
  }

  @Test
  void countFollowsTheStrideGridPerImage() throws IOException {
    Files.createDirectories(dir.resolve("hr"));
    TestImages.write(TestImages.random(101, 80, 1), dir.resolve("hr/a.png")); // x2 modcrop: 100x80
    TestImages.write(TestImages.random(33, 34, 2), dir.resolve("hr/b.png")); // x2 modcrop: 32x34, narrower than 33 px
    BadInputException e = assertThrows(BadInputException.class,
        () -> SrcnnSubImageSource.fromHrFolder(dir.resolve("hr"), SrcnnSubImageOptions.srcnn(2, 8, 1)));
    assertTrue(e.getMessage().contains("b.png") && e.getMessage().contains("32x34"), e.getMessage());
    Files.delete(dir.resolve("hr/b.png"));
    SrcnnSubImageSource src = SrcnnSubImageSource.fromHrFolder(dir.resolve("hr"), SrcnnSubImageOptions.srcnn(2, 8, 1));
    assertEquals(5 * 4, src.subImageCount()); // x: 0,14,28,42,56 (56+33=89<=100, 70+33>100); y: 0,14,28,42 (42+33<=80)
  }

  @Test
  void everySubImageOnceAnEpochInADifferentOrderEachEpoch() throws IOException {
    Files.createDirectories(dir.resolve("hr"));
    TestImages.write(TestImages.random(75, 61, 9), dir.resolve("hr/a.png"));
    SrcnnSubImageSource src = SrcnnSubImageSource.fromHrFolder(dir.resolve("hr"),
        new SrcnnSubImageOptions(3, 11, 7, 3, 1, 4));
    int count = src.subImageCount();
    assertEquals(((60 - 11) / 7 + 1) * ((75 - 11) / 7 + 1), count);
    List<List<String>> epochs = new ArrayList<>();
    for (int e = 0; e < 2; e++) {
      List<String> seen = new ArrayList<>();
      for (long p = (long) e * count; p < (long) (e + 1) * count; p++) {
        PatchBatch one = src.batch(p / 3);
        seen.add(Arrays.toString(one.hrPatch((int) (p % 3))));
      }
      assertEquals(count, seen.stream().distinct().count(), "epoch " + e + " visits each sub-image once");
      epochs.add(seen);
    }
    assertTrue(!epochs.get(0).equals(epochs.get(1)), "epochs are shuffled differently");
  }

  @Test
  void t91AtScale3GivesTheSrcnnTrainingSetSize() {
    Path t91 = BundledData.hrFolder("T91").orElseThrow();
    SrcnnSubImageSource src = SrcnnSubImageSource.fromHrFolder(t91, SrcnnSubImageOptions.srcnn(3, 128, 1));
    // 21,884: the figure other SRCNN re-implementations report for 91 images, x3, 33 px, stride 14.
    assertEquals(21_884, src.subImageCount());
    assertEquals(21_884, src.samplesPerEpoch());
  }
}
