package io.sr4j.data.train;

import io.sr4j.data.BadInputException;
import io.sr4j.data.Parallel;
import io.sr4j.data.image.Image;
import io.sr4j.data.pairs.LrSynthesis;
import io.sr4j.data.pairs.PairedFolder;
import io.sr4j.data.pairs.PairedSample;
import io.sr4j.data.resize.Imresize;
import io.sr4j.data.resize.ResizeKernel;
import io.sr4j.data.resize.SampleType;
import java.nio.file.Path;
import java.util.Locale;

/**
 * SRCNN's original training data (its {@code generate_train.m}): for every HR image, the label is the 8-bit Y
 * plane (MATLAB {@code rgb2ycbcr} on uint8, rounded) mod-cropped to the scale, and the input is
 * {@code imresize(imresize(label, 1/scale), [h w])}, bicubic, unrounded, with the border rule of the MATLAB the
 * release ran on ({@link LrSynthesis#LUMA}). Both are cut into
 * {@code subImagePx} squares at {@code 0, stridePx, 2 * stridePx, ...} along each axis (no flush last position),
 * input and label at the same place and size; the trainer crops the label's centre to the network's output size.
 * Everything is precomputed once as floats; batches take sub-images in the order of the epoch permutation,
 * without augmentation. Batches have one channel and scale 1.
 */
public final class SrcnnSubImageSource implements PatchSource {
  private final SrcnnSubImageOptions options;
  private final int count;
  private final float[] inputs; // [count][subImagePx][subImagePx]
  private final float[] labels; // [count][subImagePx][subImagePx]
  private final EpochOrder order;
  private final String description;

  private SrcnnSubImageSource(SrcnnSubImageOptions options, float[] inputs, float[] labels, int count, String what) {
    this.options = options;
    this.inputs = inputs;
    this.labels = labels;
    this.count = count;
    this.order = new EpochOrder(count, options.enlargeRatio(), options.seed());
    this.description = what;
  }

  /** Cuts the sub-images of every image in {@code hrDir}. */
  public static SrcnnSubImageSource fromHrFolder(Path hrDir, SrcnnSubImageOptions options) {
    PairedFolder folder = PairedFolder.synthesized(hrDir, options.scale(), LrSynthesis.LUMA);
    int p = options.subImagePx();
    int area = p * p;
    float[][] inputsPerImage = new float[folder.size()][];
    float[][] labelsPerImage = new float[folder.size()][];
    Parallel.forEach(folder.size(), Parallel.defaultThreads(), i -> {
      PairedSample sample = folder.load(i);
      Image label = sample.hr();
      Image input = Imresize.resizeTo(sample.lr(), label.width(), label.height(), ResizeKernel.BICUBIC, SampleType.FLOAT,
          folder.synthesis().resizeBorder());
      int rows = positions(label.height(), options);
      int cols = positions(label.width(), options);
      if (rows == 0 || cols == 0) {
        throw new BadInputException(folder.hrFile(i) + ": a " + label.width() + "x" + label.height()
            + " image (after modcrop to x" + options.scale() + ") is smaller than one " + p + "x" + p + " sub-image");
      }
      float[] in = new float[rows * cols * area];
      float[] lab = new float[rows * cols * area];
      int k = 0;
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          copySquare(input, c * options.stridePx(), r * options.stridePx(), p, in, k * area);
          copySquare(label, c * options.stridePx(), r * options.stridePx(), p, lab, k * area);
          k++;
        }
      }
      inputsPerImage[i] = in;
      labelsPerImage[i] = lab;
    });
    long total = 0;
    for (float[] in : inputsPerImage) {
      total += in.length;
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new BadInputException(hrDir + ": " + total / area + " sub-images do not fit in one array; use fewer images");
    }
    float[] inputs = concat(inputsPerImage, (int) total);
    float[] labels = concat(labelsPerImage, (int) total);
    int count = (int) (total / area);
    String what = String.format(Locale.ROOT,
        "%d SRCNN sub-images (%d px, stride %d px) of %d images from %s, x%d, batch %d; in memory, %.1f MiB",
        count, p, options.stridePx(), folder.size(), hrDir, options.scale(), options.batchSize(),
        2.0 * total * Float.BYTES / (1 << 20));
    return new SrcnnSubImageSource(options, inputs, labels, count, what);
  }

  /** Sub-image positions along an axis of {@code lengthPx}: {@code floor((length - size) / stride) + 1}, or 0. */
  static int positions(int lengthPx, SrcnnSubImageOptions options) {
    return lengthPx < options.subImagePx() ? 0 : (lengthPx - options.subImagePx()) / options.stridePx() + 1;
  }

  private static void copySquare(Image image, int x0, int y0, int sizePx, float[] dst, int offset) {
    float[] plane = image.plane(0);
    for (int y = 0; y < sizePx; y++) {
      System.arraycopy(plane, (y0 + y) * image.width() + x0, dst, offset + y * sizePx, sizePx);
    }
  }

  private static float[] concat(float[][] parts, int total) {
    float[] out = new float[total];
    int at = 0;
    for (float[] part : parts) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }

  /** Number of distinct sub-images. */
  public int subImageCount() {
    return count;
  }

  @Override
  public PatchBatch batch(long index) {
    if (index < 0) {
      throw new IllegalArgumentException("batch index must be >= 0, got " + index);
    }
    int n = options.batchSize();
    int p = options.subImagePx();
    int area = p * p;
    float[] lr = new float[n * area];
    float[] hr = new float[n * area];
    long first = Math.multiplyExact(index, (long) n);
    for (int k = 0; k < n; k++) {
      int sample = order.sampleAt(first + k);
      System.arraycopy(inputs, sample * area, lr, k * area, area);
      System.arraycopy(labels, sample * area, hr, k * area, area);
    }
    return new PatchBatch(n, 1, p, p, 1, lr, hr);
  }

  @Override
  public int batchSize() {
    return options.batchSize();
  }

  @Override
  public long samplesPerEpoch() {
    return order.samplesPerEpoch();
  }

  @Override
  public String describe() {
    return description;
  }
}
