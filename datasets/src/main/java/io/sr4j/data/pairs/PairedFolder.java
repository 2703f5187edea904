package io.sr4j.data.pairs;

import io.sr4j.data.BadInputException;
import io.sr4j.data.color.YCbCr;
import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.data.image.PixelLimit;
import io.sr4j.data.resize.Imresize;
import io.sr4j.data.resize.ResizeKernel;
import io.sr4j.data.resize.SampleType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A benchmark or training set on disk: an HR folder whose LR images are made on the fly by MATLAB bicubic after
 * modcrop, or an HR folder plus an LR folder in DIV2K naming ({@code 0001.png} <-> {@code 0001x4.png}; LR files
 * named exactly like their HR file are accepted too). Images are read when a sample is loaded.
 */
public final class PairedFolder {
  private final Path hrDir;
  private final Path lrDir; // null when LR images are synthesised
  private final int scale;
  private final LrSynthesis synthesis;
  private final List<Path> hrFiles;
  private final List<Path> lrFiles; // parallel to hrFiles; null when synthesised
  private final long maxPixels;

  private PairedFolder(Path hrDir, Path lrDir, int scale, LrSynthesis synthesis, List<Path> hrFiles, List<Path> lrFiles,
      long maxPixels) {
    this.hrDir = hrDir;
    this.lrDir = lrDir;
    this.scale = scale;
    this.synthesis = synthesis;
    this.hrFiles = hrFiles;
    this.lrFiles = lrFiles;
    this.maxPixels = maxPixels;
  }

  /** The same set, reading images of at most {@code maxPixels} (see {@link PixelLimit}; default: its default). */
  public PairedFolder withMaxPixels(long maxPixels) {
    return new PairedFolder(hrDir, lrDir, scale, synthesis, hrFiles, lrFiles, maxPixels);
  }

  /** HR images only; LR made from them with {@code synthesis}. */
  public static PairedFolder synthesized(Path hrDir, int scale, LrSynthesis synthesis) {
    checkScale(scale);
    return new PairedFolder(hrDir, null, scale, synthesis, ImageFiles.list(hrDir), null, PixelLimit.defaultMaxPixels());
  }

  /** HR and LR folders; every HR file must have its LR partner. */
  public static PairedFolder withLrFolder(Path hrDir, Path lrDir, int scale) {
    checkScale(scale);
    List<Path> hr = ImageFiles.list(hrDir);
    if (!Files.isDirectory(lrDir)) {
      throw new BadInputException(lrDir + ": not a directory, expected the folder of LR images");
    }
    List<Path> lr = new ArrayList<>(hr.size());
    for (Path h : hr) {
      lr.add(findLrPartner(h, lrDir, scale));
    }
    return new PairedFolder(hrDir, lrDir, scale, LrSynthesis.RGB8, hr, List.copyOf(lr), PixelLimit.defaultMaxPixels());
  }

  private static void checkScale(int scale) {
    if (scale < 1) {
      throw new BadInputException("scale must be a positive integer, got " + scale);
    }
  }

  private static Path findLrPartner(Path hrFile, Path lrDir, int scale) {
    String stem = ImageFiles.stem(hrFile);
    List<String> tried = new ArrayList<>();
    for (String candidate : List.of(stem + "x" + scale, stem)) {
      for (String ext : List.of(ImageFiles.extension(hrFile), "png", "jpg", "jpeg", "bmp")) {
        Path p = lrDir.resolve(candidate + "." + ext);
        if (Files.isRegularFile(p)) {
          return p;
        }
        if (!tried.contains(p.getFileName().toString())) {
          tried.add(p.getFileName().toString());
        }
      }
    }
    throw new BadInputException(hrFile + ": no LR partner in " + lrDir + " (looked for "
        + String.join(", ", tried.subList(0, 2)) + ")");
  }

  public int size() {
    return hrFiles.size();
  }

  public int scale() {
    return scale;
  }

  /** How LR images are obtained: synthesised (see {@link #synthesis()}) or read from {@link #lrDir()}. */
  public boolean hasLrFolder() {
    return lrDir != null;
  }

  public Path hrDir() {
    return hrDir;
  }

  public Path lrDir() {
    return lrDir;
  }

  public LrSynthesis synthesis() {
    return synthesis;
  }

  /** Sample names: HR file names without extension. */
  public List<String> names() {
    return hrFiles.stream().map(ImageFiles::stem).toList();
  }

  public Path hrFile(int index) {
    return hrFiles.get(index);
  }

  /** The LR file of sample {@code index}; only when {@link #hasLrFolder()}. */
  public Path lrFile(int index) {
    if (lrFiles == null) {
      throw new IllegalStateException("LR images of " + hrDir + " are synthesised, there is no LR file");
    }
    return lrFiles.get(index);
  }

  /** Reads (and, without an LR folder, synthesises) sample {@code index}. */
  public PairedSample load(int index) {
    Path hrFile = hrFiles.get(index);
    Image hr = ImageFiles.read(hrFile, maxPixels);
    String name = ImageFiles.stem(hrFile);
    if (lrFiles == null) {
      return synthesize(name, hr, scale, synthesis, hrFile);
    }
    Path lrFile = lrFiles.get(index);
    Image lr = ImageFiles.read(lrFile, maxPixels);
    return new PairedSample(name, lr, alignHr(hr, lr, hrFile, lrFile));
  }

  /** Makes the LR partner of one HR image (see {@link LrSynthesis}). */
  public static PairedSample synthesize(String name, Image hr, int scale, LrSynthesis synthesis, Path source) {
    if (hr.width() < scale || hr.height() < scale) {
      throw new BadInputException(source + ": a " + hr.width() + "x" + hr.height()
          + " image is smaller than the scale " + scale);
    }
    Image cropped = hr.modcrop(scale).withoutAlpha();
    if (synthesis == LrSynthesis.LUMA) {
      Image y = Image.of(cropped.width(), cropped.height(), YCbCr.lumaUint8(cropped));
      Image lr = Imresize.resize(y, 1.0 / scale, ResizeKernel.BICUBIC, SampleType.FLOAT, synthesis.resizeBorder());
      return new PairedSample(name, lr, y);
    }
    Image lr = Imresize.resize(cropped, 1.0 / scale, ResizeKernel.BICUBIC, SampleType.forBitDepth(cropped.bitDepth()),
        synthesis.resizeBorder());
    return new PairedSample(name, lr, cropped);
  }

  /** Crops HR to exactly {@code scale} x LR (DIV2K HR may be up to scale-1 pixels larger), or fails. */
  private Image alignHr(Image hr, Image lr, Path hrFile, Path lrFile) {
    checkAligned(hrFile, new ImageFiles.Dimensions(hr.width(), hr.height()),
        lrFile, new ImageFiles.Dimensions(lr.width(), lr.height()));
    if (lr.channels() != hr.channels()) {
      throw new BadInputException("LR/HR channel mismatch: " + lrFile + " has " + lr.channels() + " colour planes, "
          + hrFile + " has " + hr.channels());
    }
    return hr.cropTopLeft(lr.width() * scale, lr.height() * scale).withoutAlpha();
  }

  /**
   * Fails unless an HR image of size {@code hr} can be the partner of an LR image of size {@code lr}: at least
   * {@code scale} times the LR size and less than one LR pixel more (its top-left {@code scale x LR} region is used).
   */
  public void checkAligned(Path hrFile, ImageFiles.Dimensions hr, Path lrFile, ImageFiles.Dimensions lr) {
    int w = lr.width() * scale;
    int h = lr.height() * scale;
    boolean fits = hr.width() >= w && hr.width() < w + scale && hr.height() >= h && hr.height() < h + scale;
    if (!fits) {
      throw new BadInputException("LR/HR size mismatch: " + lrFile + " is " + lr.width() + "x" + lr.height()
          + ", so its HR should be " + w + "x" + h + " at x" + scale + ", but " + hrFile + " is "
          + hr.width() + "x" + hr.height());
    }
  }
}
