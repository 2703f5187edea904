package io.sr4j.data.train;

import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import java.nio.file.Path;
import java.util.Random;

/** Small synthetic images for the training-data tests. */
final class TestImages {
  /** An 8-bit code value (0..255) for channel {@code c} of pixel {@code (x, y)}. */
  @FunctionalInterface
  interface PixelCode {
    int code(int c, int x, int y);
  }

  private TestImages() {}

  static Image rgb(int w, int h, PixelCode f) {
    float[][] planes = new float[3][w * h];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          planes[c][y * w + x] = f.code(c, x, y) / 255f;
        }
      }
    }
    return Image.of(w, h, planes);
  }

  static Image random(int w, int h, long seed) {
    Random rnd = new Random(seed);
    int[] codes = rnd.ints(3L * w * h, 0, 256).toArray();
    return rgb(w, h, (c, x, y) -> codes[(c * h + y) * w + x]);
  }

  static Path write(Image image, Path file) {
    ImageFiles.write(image, file);
    return file;
  }

  /** Code value 0..255 of a float in a batch. */
  static int code(float v) {
    return Math.round(v * 255f);
  }
}
