package io.sr4j.data.prep;

import io.sr4j.data.BadInputException;
import io.sr4j.data.OutputFolders;
import io.sr4j.data.Parallel;
import io.sr4j.data.Progress;
import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
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
   */
  public record Options(int cropPx, int stepPx, int threshPx) {
    public Options {
      if (cropPx < 1 || stepPx < 1 || threshPx < 0) {
        throw new IllegalArgumentException(
            "crop and step must be positive and thresh >= 0, got crop " + cropPx + ", step " + stepPx + ", thresh "
                + threshPx);
      }
    }
  }

  /** What was written. */
  public record Summary(int images, long subImages) {}

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
      Image image = ImageFiles.read(files.get(i));
      written.addAndGet(cut(image, positions(image, options, files.get(i)), options.cropPx(), stems.get(i), outputDir));
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
      PairedSample sample = pairs.load(i);
      List<List<Integer>> hrStarts = positions(sample.hr(), options, files.get(i));
      List<List<Integer>> lrStarts = hrStarts.stream().map(axis -> axis.stream().map(p -> p / s).toList()).toList();
      written.addAndGet(cut(sample.hr(), hrStarts, options.cropPx(), stems.get(i), hrOutputDir));
      cut(sample.lr(), lrStarts, options.cropPx() / s, stems.get(i), lrOutputDir);
      progress.advance(1);
    });
    progress.finish();
    return new Summary(files.size(), written.get());
  }

  /** Row and column start positions ({@code [rows, columns]}) for an image, or a failure naming the file. */
  private static List<List<Integer>> positions(Image image, Options options, Path file) {
    List<Integer> rows = positions(image.height(), options);
    List<Integer> cols = positions(image.width(), options);
    if (rows.isEmpty() || cols.isEmpty()) {
      throw new BadInputException(file + ": a " + image.width() + "x" + image.height()
          + " image is smaller than the " + options.cropPx() + "x" + options.cropPx() + " sub-image size");
    }
    return List.of(rows, cols);
  }

  /** Writes the crops of {@code image} at every (row, column) start, numbered from 1; returns how many. */
  private static int cut(Image image, List<List<Integer>> starts, int cropPx, String stem, Path outputDir) {
    int number = 0;
    for (int y : starts.get(0)) {
      for (int x : starts.get(1)) {
        number++;
        ImageFiles.write(image.crop(x, y, cropPx, cropPx), outputDir.resolve(subImageName(stem, number)));
      }
    }
    return number;
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
