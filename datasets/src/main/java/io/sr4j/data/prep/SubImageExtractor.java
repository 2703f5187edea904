package io.sr4j.data.prep;

import io.sr4j.data.BadInputException;
import io.sr4j.data.OutputFolders;
import io.sr4j.data.Parallel;
import io.sr4j.data.Progress;
import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.data.image.PixelLimit;
import io.sr4j.data.pairs.PairedFolder;
import io.sr4j.data.pairs.PairedSample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Cuts large training images into overlapping square sub-images for faster loading, with the semantics of
 * BasicSR's {@code scripts/data_preparation/extract_subimages.py}.
 *
 * <p>Along each axis of length {@code L} the crops start at {@code 0, step, 2 * step, ...} while they fit, plus one
 * crop flush with the far border when the uncovered remainder is more than {@code threshPx}. Crops are numbered
 * row by row from 1 and written as {@code <stem>_s001.png}, {@code <stem>_s002.png}, ... (PNG, the source's bit
 * depth and alpha kept); a DIV2K scale suffix ({@code 0001x4}) is dropped from the stem so that HR and LR
 * sub-images get the same names. With an LR folder, each LR image is cut at the HR positions divided by the scale,
 * with {@code crop / scale} squares, so that the pairs stay aligned.
 */
public final class SubImageExtractor {
  private static final Pattern SCALE_SUFFIX = Pattern.compile("x(2|3|4|8)$");

  private SubImageExtractor() {}

  /**
   * Crop geometry in pixels of the (HR) images.
   *
   * @param cropPx side of the square sub-images (BasicSR DIV2K HR: 480)
   * @param stepPx distance between neighbouring crops (240)
   * @param threshPx a last, border-flush crop is added when more than this many pixels would stay uncovered (0)
   * @param maxPixels larger source images are refused (see {@link PixelLimit})
   */
  public record Options(int cropPx, int stepPx, int threshPx, long maxPixels) {
    public Options {
      if (cropPx < 1 || stepPx < 1 || threshPx < 0 || maxPixels < 1) {
        throw new IllegalArgumentException(
            "crop, step and max pixels must be positive and thresh >= 0, got crop " + cropPx + ", step " + stepPx
                + ", thresh " + threshPx + ", max pixels " + maxPixels);
      }
    }

    /** With the default pixel limit. */
    public Options(int cropPx, int stepPx, int threshPx) {
      this(cropPx, stepPx, threshPx, PixelLimit.defaultMaxPixels());
    }
  }

  /** What was written. */
  public record Summary(int images, long subImages) {}

  /** One sub-image: its file name and the square it is cut from, in pixels of its source image. */
  public record Crop(String name, int xPx, int yPx, int sizePx) {
    /** The same square in an image {@code scale} times smaller (the LR partner). */
    public Crop scaledDown(int scale) {
      return new Crop(name, xPx / scale, yPx / scale, sizePx / scale);
    }
  }

  /** Crop start positions along an axis of {@code lengthPx} (empty when the crop does not fit). */
  public static List<Integer> positions(int lengthPx, Options options) {
    List<Integer> starts = new ArrayList<>();
    for (int p = 0; p + options.cropPx() <= lengthPx; p += options.stepPx()) {
      starts.add(p);
    }
    if (!starts.isEmpty() && lengthPx - (starts.get(starts.size() - 1) + options.cropPx()) > options.threshPx()) {
      starts.add(lengthPx - options.cropPx());
    }
    return starts;
  }

  /** The file name of sub-image {@code number} (from 1) of {@code stem}: {@code stem_s001.png}. */
  public static String subImageName(String stem, int number) {
    return String.format(Locale.ROOT, "%s_s%03d.png", stem, number);
  }

  /** The file's name without extension and without a DIV2K scale suffix ({@code 0001x4.png} -> {@code 0001}). */
  public static String sourceStem(Path file) {
    return SCALE_SUFFIX.matcher(ImageFiles.stem(file)).replaceFirst("");
  }

  /** Cuts every image of {@code inputDir} into {@code outputDir} (which must be empty or absent). */
  public static Summary extract(Path inputDir, Path outputDir, Options options, int threads, Progress progress) {
    List<Path> files = ImageFiles.list(inputDir);
    List<String> stems = files.stream().map(SubImageExtractor::sourceStem).toList();
    checkDistinct(files, stems);
    OutputFolders.prepareEmpty(outputDir);
    AtomicLong written = new AtomicLong();
    progress.start("sub-images of " + inputDir, files.size(), "images");
    Parallel.forEach(files.size(), threads, i -> {
      Image image = ImageFiles.read(files.get(i), options.maxPixels());
      written.addAndGet(cut(image, crops(image.width(), image.height(), options, stems.get(i), files.get(i).toString()),
          outputDir));
      progress.advance(1);
    });
    progress.finish();
    return new Summary(files.size(), written.get());
  }

  /**
   * Cuts the HR images of {@code pairs} into {@code hrOutputDir} and their LR partners into {@code lrOutputDir} at the
   * same places ({@code options} are in HR pixels and crop and step must be multiples of the scale). Sub-images are
   * named after the HR file.
   */
  public static Summary extractPairs(
      PairedFolder pairs, Path hrOutputDir, Path lrOutputDir, Options options, int threads, Progress progress) {
    int s = pairs.scale();
    if (options.cropPx() % s != 0 || options.stepPx() % s != 0) {
      throw new BadInputException("crop " + options.cropPx() + " and step " + options.stepPx()
          + " must be multiples of the scale " + s + " to cut aligned LR sub-images");
    }
    if (!pairs.hasLrFolder()) {
      throw new IllegalArgumentException("extractPairs needs HR and LR folders");
    }
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i++) {
      files.add(pairs.hrFile(i));
    }
    List<String> stems = files.stream().map(SubImageExtractor::sourceStem).toList();
    checkDistinct(files, stems);
    OutputFolders.prepareEmpty(hrOutputDir);
    OutputFolders.prepareEmpty(lrOutputDir);
    AtomicLong written = new AtomicLong();
    progress.start("sub-images of " + pairs.hrDir() + " and " + pairs.lrDir(), files.size(), "images");
    Parallel.forEach(files.size(), threads, i -> {
      PairedSample sample = pairs.withMaxPixels(options.maxPixels()).load(i);
      List<Crop> hrCrops = crops(sample.hr().width(), sample.hr().height(), options, stems.get(i), files.get(i).toString());
      written.addAndGet(cut(sample.hr(), hrCrops, hrOutputDir));
      cut(sample.lr(), hrCrops.stream().map(c -> c.scaledDown(s)).toList(), lrOutputDir);
      progress.advance(1);
    });
    progress.finish();
    return new Summary(files.size(), written.get());
  }

  /**
   * The sub-images of a {@code widthPx x heightPx} image whose file stem is {@code stem}, numbered row by row from 1,
   * or a failure naming {@code source} when the image is smaller than one sub-image.
   */
  public static List<Crop> crops(int widthPx, int heightPx, Options options, String stem, String source) {
    List<Integer> rows = positions(heightPx, options);
    List<Integer> cols = positions(widthPx, options);
    if (rows.isEmpty() || cols.isEmpty()) {
      throw new BadInputException(source + ": a " + widthPx + "x" + heightPx
          + " image is smaller than the " + options.cropPx() + "x" + options.cropPx() + " sub-image size");
    }
    List<Crop> crops = new ArrayList<>(rows.size() * cols.size());
    for (int y : rows) {
      for (int x : cols) {
        crops.add(new Crop(subImageName(stem, crops.size() + 1), x, y, options.cropPx()));
      }
    }
    return crops;
  }

  /** Writes the {@code crops} of {@code image} into {@code outputDir}; returns how many. */
  private static int cut(Image image, List<Crop> crops, Path outputDir) {
    for (Crop c : crops) {
      ImageFiles.write(image.crop(c.xPx(), c.yPx(), c.sizePx(), c.sizePx()), outputDir.resolve(c.name()));
    }
    return crops.size();
  }

  private static void checkDistinct(List<Path> files, List<String> stems) {
    Map<String, Path> seen = new HashMap<>();
    for (int i = 0; i < files.size(); i++) {
      Path before = seen.putIfAbsent(stems.get(i), files.get(i));
      if (before != null) {
        throw new BadInputException(files.get(i) + " and " + before + " would both be cut into "
            + subImageName(stems.get(i), 1) + ", ...; rename one of them");
      }
    }
  }
}
