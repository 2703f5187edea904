package io.sr4j.data.image;

import io.sr4j.data.AtomicFiles;
import io.sr4j.data.BadInputException;
import io.sr4j.data.color.Quantize;
import java.awt.Rectangle;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Reads and writes PNG (8- and 16-bit), JPEG and BMP files, gray, RGB and RGBA, as {@link Image}s.
 *
 * <p>Decoding goes through {@code javax.imageio} (with the codec plugins DataVec's image module brings) and reads
 * raw raster samples, so values are exactly the stored code values divided by 255 or 65535: no colour management
 * and no implicit conversion to 8 bits. Every failure names the file and says what was expected.
 */
public final class ImageFiles {
  /** File name extensions (lower case, no dot) that are read as images when scanning folders. */
  public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp");

  private static final int JPEG_QUALITY_PERCENT = 95;

  private ImageFiles() {}

  /** True when {@code path} has one of the image {@link #EXTENSIONS}. */
  public static boolean hasImageExtension(Path path) {
    return EXTENSIONS.contains(extension(path));
  }

  /**
   * The image files directly inside {@code dir}, sorted by name. An entry with an image extension that cannot be
   * read (a broken symbolic link, a link loop, no read permission) is an error naming every such entry, not skipped.
   */
  public static List<Path> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new BadInputException(dir + ": not a directory, expected a folder of images");
    }
    List<Path> entries;
    try (Stream<Path> files = Files.list(dir)) {
      entries = files.filter(ImageFiles::hasImageExtension).sorted().toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new BadInputException(dir + ": cannot list folder (" + rootMessage(e) + ")", e);
    }
    List<String> unreadable = new java.util.ArrayList<>();
    List<Path> images = new java.util.ArrayList<>();
    for (Path p : entries) {
      String problem = unreadable(p);
      if (problem == null) {
        images.add(p);
      } else if (!problem.isEmpty()) {
        unreadable.add(p.getFileName() + " (" + problem + ")");
      }
    }
    if (!unreadable.isEmpty()) {
      throw new BadInputException(dir + ": " + unreadable.size() + " of its images cannot be read: "
          + String.join(", ", unreadable));
    }
    if (images.isEmpty()) {
      throw new BadInputException(
          dir + ": no images found (expected files ending in ." + String.join(", .", EXTENSIONS.stream().sorted().toList()) + ")");
    }
    return images;
  }

  /** Why the folder entry {@code p} cannot be read as an image: null if it can, "" for a folder (skipped). */
  private static String unreadable(Path p) {
    try {
      java.nio.file.attribute.BasicFileAttributes a =
          Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class);
      if (a.isDirectory()) {
        return "";
      }
      if (!a.isRegularFile()) {
        return "not a regular file";
      }
      if (!Files.isReadable(p)) {
        return "permission denied";
      }
      return null;
    } catch (NoSuchFileException e) {
      return Files.isSymbolicLink(p) ? "broken symbolic link to " + linkTarget(p) : "vanished while listing";
    } catch (java.nio.file.FileSystemException e) {
      String reason = e.getReason();
      return reason == null ? "cannot be read" : reason.toLowerCase(Locale.ROOT);
    } catch (IOException e) {
      return "cannot be read";
    }
  }

  private static String linkTarget(Path link) {
    try {
      return Files.readSymbolicLink(link).toString();
    } catch (IOException e) {
      return "?";
    }
  }

  /** Width and height of an image file, in pixels. */
  public record Dimensions(int width, int height) {}

  /** Decodes the image stored at {@code path} (upright: see {@link Orientation}), within the default {@link PixelLimit}. */
  public static Image read(Path path) {
    return read(path, PixelLimit.defaultMaxPixels());
  }

  /** Decodes the image stored at {@code path}, refusing from its header one of more than {@code maxPixels}. */
  public static Image read(Path path, long maxPixels) {
    return decode(path, null, maxPixels);
  }

  /**
   * Decodes only the region {@code [x0, x0+w) x [y0, y0+h)} of the (upright) image at {@code path}: the same
   * samples as {@code read(path).crop(x0, y0, w, h)}, without holding the whole image in memory.
   */
  public static Image readRegion(Path path, int x0, int y0, int w, int h) {
    if (x0 < 0 || y0 < 0 || w <= 0 || h <= 0) {
      throw new IllegalArgumentException("region " + w + "x" + h + "+" + x0 + "+" + y0 + " is empty or negative");
    }
    return decode(path, new Rectangle(x0, y0, w, h), PixelLimit.defaultMaxPixels());
  }

  /** The (upright) size of the image at {@code path}, read from its header without decoding the pixels. */
  public static Dimensions dimensions(Path path) {
    return withReader(path, (reader, format) -> {
      boolean swap = Orientation.of(path, format).swapsSides();
      return swap ? new Dimensions(reader.getHeight(0), reader.getWidth(0))
          : new Dimensions(reader.getWidth(0), reader.getHeight(0));
    });
  }

  /** What the header of the file says: stored size, format name (upper case) and EXIF orientation. */
  record Header(int storedWidth, int storedHeight, String format, Orientation orientation) {}

  static Header header(Path path) {
    return withReader(path, (reader, format) ->
        new Header(reader.getWidth(0), reader.getHeight(0), format, Orientation.of(path, format)));
  }

  private static Image decode(Path path, Rectangle region, long maxPixels) {
    Orientation[] orientation = {Orientation.NORMAL};
    BufferedImage decoded = withReader(path, (reader, format) -> {
      int w = reader.getWidth(0);
      int h = reader.getHeight(0);
      PixelLimit.check(path, w, h, maxPixels);
      orientation[0] = Orientation.of(path, format);
      ImageReadParam param = reader.getDefaultReadParam();
      if (region != null) {
        int uw = orientation[0].swapsSides() ? h : w;
        int uh = orientation[0].swapsSides() ? w : h;
        if (region.x + region.width > uw || region.y + region.height > uh) {
          throw new BadInputException(path + ": region " + region.width + "x" + region.height + "+" + region.x + "+"
              + region.y + " lies outside the " + uw + "x" + uh + " image");
        }
        param.setSourceRegion(orientation[0].storedRegion(region, w, h));
      }
      // Decoders report damaged or missing data (a truncated JPEG) as warnings and fill in gray: refuse instead.
      List<String> warnings = new java.util.ArrayList<>();
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      BufferedImage image = reader.read(0, param);
      if (!warnings.isEmpty()) {
        throw new BadInputException(path + ": truncated or corrupt " + format + " data (" + warnings.get(0) + ")");
      }
      return image;
    });
    return orientation[0].apply(fromBufferedImage(decoded, path));
  }

  /** What is done with an open reader positioned on the file; {@code format} is its upper-case format name. */
  @FunctionalInterface
  private interface ReaderAction<T> {
    T apply(ImageReader reader, String format) throws IOException;
  }

  private static <T> T withReader(Path path, ReaderAction<T> action) {
    long size;
    try {
      if (Files.isDirectory(path)) {
        throw new BadInputException(path + ": is a directory, expected an image file");
      }
      size = Files.size(path);
    } catch (NoSuchFileException e) {
      throw new BadInputException(path + ": no such file");
    } catch (IOException e) {
      throw new BadInputException(path + ": cannot read (" + e.getMessage() + ")", e);
    }
    if (size == 0) {
      throw new BadInputException(path + ": file is empty (0 bytes), expected a PNG, JPEG or BMP image");
    }
    String format = "image";
    try (ImageInputStream in = ImageIO.createImageInputStream(path.toFile())) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new BadInputException(
            path + ": not a PNG, JPEG or BMP image (the content is not in any readable image format)");
      }
      ImageReader reader = readers.next();
      format = reader.getFormatName().toUpperCase(Locale.ROOT);
      try {
        reader.setInput(in, true, true);
        return action.apply(reader, format);
      } finally {
        reader.dispose();
      }
    } catch (BadInputException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new BadInputException(
          path + ": truncated or corrupt " + format + " data (" + rootMessage(e) + ")", e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage();
    return message == null ? t.getClass().getSimpleName() : message;
  }

  /** A decoded image (gray, RGB or RGBA, 8 or 16 bits, or a palette) as an {@link Image}, e.g. for the Java API. */
  public static Image fromBufferedImage(BufferedImage bi) {
    return fromBufferedImage(bi, Path.of("the BufferedImage"));
  }

  /** An {@link Image} as a {@link BufferedImage} of its bit depth (16-bit images stay 16-bit). */
  public static BufferedImage toBufferedImage(Image image) {
    return toBufferedImage(image, image.bitDepth() > 8);
  }

  static Image fromBufferedImage(BufferedImage bi, Path source) {
    int w = bi.getWidth();
    int h = bi.getHeight();
    ColorModel cm = bi.getColorModel();
    Raster raster = bi.getRaster();
    if (cm instanceof IndexColorModel icm) {
      return fromPalette(icm, raster, w, h);
    }
    int bands = raster.getNumBands();
    boolean alpha = cm.hasAlpha();
    int colourBands = bands - (alpha ? 1 : 0);
    if (colourBands != 1 && colourBands != 3) {
      throw new BadInputException(
          source + ": unsupported colour layout (" + bands + " samples per pixel), expected gray, RGB or RGBA");
    }
    int maxBits = 0;
    float[][] samples = new float[bands][];
    for (int b = 0; b < bands; b++) {
      int bits = cm.getComponentSize(b);
      maxBits = Math.max(maxBits, bits);
      float[] plane = raster.getSamples(0, 0, w, h, b, (float[]) null);
      float scale = (float) (1.0 / ((1L << bits) - 1));
      for (int i = 0; i < plane.length; i++) {
        plane[i] *= scale;
      }
      samples[b] = plane;
    }
    float[][] colour = new float[colourBands][];
    System.arraycopy(samples, 0, colour, 0, colourBands);
    return new Image(w, h, colour, alpha ? samples[colourBands] : null, maxBits > 8 ? 16 : 8);
  }

  private static Image fromPalette(IndexColorModel icm, Raster raster, int w, int h) {
    int n = icm.getMapSize();
    boolean gray = true;
    for (int i = 0; i < n && gray; i++) {
      gray = icm.getRed(i) == icm.getGreen(i) && icm.getGreen(i) == icm.getBlue(i);
    }
    int[] index = raster.getSamples(0, 0, w, h, 0, (int[]) null);
    float[] r = new float[w * h];
    float[] g = gray ? null : new float[w * h];
    float[] b = gray ? null : new float[w * h];
    float[] a = icm.hasAlpha() ? new float[w * h] : null;
    for (int i = 0; i < index.length; i++) {
      int k = index[i];
      r[i] = icm.getRed(k) / 255f;
      if (!gray) {
        g[i] = icm.getGreen(k) / 255f;
        b[i] = icm.getBlue(k) / 255f;
      }
      if (a != null) {
        a[i] = icm.getAlpha(k) / 255f;
      }
    }
    float[][] planes = gray ? new float[][] {r} : new float[][] {r, g, b};
    return new Image(w, h, planes, a, 8);
  }

  /**
   * Writes {@code image} to {@code path} in the format its extension names (png, jpg/jpeg, bmp), with the
   * image's bit depth for PNG. The file appears atomically: it is written beside the target, then renamed.
   */
  public static void write(Image image, Path path) {
    String ext = extension(path);
    String format =
        switch (ext) {
          case "png" -> "png";
          case "jpg", "jpeg" -> "jpeg";
          case "bmp" -> "bmp";
          default -> throw new BadInputException(
              path + ": unknown output format '." + ext + "', expected .png, .jpg or .bmp");
        };
    boolean sixteen = image.bitDepth() == 16 && format.equals("png");
    if (image.hasAlpha() && !format.equals("png")) {
      throw new BadInputException(path + ": " + format.toUpperCase(Locale.ROOT)
          + " cannot store the image's alpha channel; write a .png instead");
    }
    BufferedImage bi = toBufferedImage(image, sixteen);
    try {
      AtomicFiles.write(path, tmp -> writeWith(bi, format, tmp, path));
    } catch (IOException e) {
      throw new BadInputException(path + ": cannot write (" + e.getMessage() + ")", e);
    }
  }

  private static void writeWith(BufferedImage bi, String format, Path tmp, Path target) throws IOException {
    Iterator<ImageWriter> writers = ImageIO.getImageWriters(
        new javax.imageio.ImageTypeSpecifier(bi), format);
    if (!writers.hasNext()) {
      throw new BadInputException(target + ": no " + format + " encoder for a " + describe(bi));
    }
    ImageWriter writer = writers.next();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(tmp.toFile())) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (format.equals("jpeg")) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(JPEG_QUALITY_PERCENT / 100f);
      }
      writer.write(null, new IIOImage(bi, null, null), param);
    } finally {
      writer.dispose();
    }
  }

  private static String describe(BufferedImage bi) {
    return bi.getColorModel().getNumComponents() + "-component " + bi.getColorModel().getComponentSize(0)
        + "-bit image";
  }

  static BufferedImage toBufferedImage(Image image, boolean sixteenBit) {
    int w = image.width();
    int h = image.height();
    int colour = image.channels();
    boolean alpha = image.hasAlpha();
    BufferedImage bi;
    if (!sixteenBit && !(colour == 1 && alpha)) {
      int type = colour == 1 ? BufferedImage.TYPE_BYTE_GRAY
          : alpha ? BufferedImage.TYPE_4BYTE_ABGR : BufferedImage.TYPE_3BYTE_BGR;
      bi = new BufferedImage(w, h, type);
    } else {
      ColorSpace cs = ColorSpace.getInstance(colour == 1 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
      int bits = sixteenBit ? 16 : 8;
      int[] sizes = new int[colour + (alpha ? 1 : 0)];
      java.util.Arrays.fill(sizes, bits);
      ColorModel cm = new ComponentColorModel(cs, sizes, alpha, false,
          alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE,
          sixteenBit ? DataBuffer.TYPE_USHORT : DataBuffer.TYPE_BYTE);
      bi = new BufferedImage(cm, cm.createCompatibleWritableRaster(w, h), false, null);
    }
    int maxCode = sixteenBit ? 65535 : 255;
    WritableRaster raster = bi.getRaster();
    int[] codes = new int[w * h];
    for (int b = 0; b < colour + (alpha ? 1 : 0); b++) {
      float[] plane = b < colour ? image.plane(b) : image.alpha();
      for (int i = 0; i < codes.length; i++) {
        codes[i] = Quantize.toCode(plane[i], maxCode);
      }
      raster.setSamples(0, 0, w, h, b, codes);
    }
    return bi;
  }

  /** Lower-case extension without the dot ("" when there is none). */
  /** The file name without its extension. */
  public static String stem(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }

  public static String extension(Path path) {
    String name = path.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
