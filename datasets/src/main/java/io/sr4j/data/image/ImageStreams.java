package io.sr4j.data.image;

import ar.com.hjg.pngj.IImageLine;
import ar.com.hjg.pngj.ImageInfo;
import ar.com.hjg.pngj.ImageLineInt;
import ar.com.hjg.pngj.PngReader;
import ar.com.hjg.pngj.PngWriter;
import ar.com.hjg.pngj.PngjException;
import io.sr4j.data.AtomicFiles;
import io.sr4j.data.BadInputException;
import io.sr4j.data.color.Quantize;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Images read and written a band of rows at a time, so that an image larger than the memory can be processed
 * (tiled upscaling). PNG is streamed with PNGJ, row by row, in both directions; other files are decoded whole
 * (JPEG and BMP: no streaming decoder; interlaced PNG, palette PNG and PNG with a transparent colour key, whose
 * pixels {@link ImageFiles#read} interprets) and written whole, so for them the {@link PixelLimit} is what
 * bounds memory. Streamed pixels equal those of {@link ImageFiles#read} and {@link ImageFiles#write}.
 */
public final class ImageStreams {
  private ImageStreams() {}

  /** Rows of an image, top to bottom. */
  public interface RowReader extends AutoCloseable {
    int width();

    int height();

    /** Samples per pixel: colour planes (1 or 3) plus alpha. */
    int samples();

    /**
     * The next {@code count} rows (at most the rows left) as a {@code width() x count} image; every call returns
     * the same colour planes, alpha and bit depth.
     */
    Image readRows(int count);

    @Override
    void close();
  }

  /**
   * An image assembled from blocks. Pixels are held only until their rows are complete: a row is written out as
   * soon as blocks have covered all of it, so blocks should arrive a band of rows at a time.
   */
  public interface BlockWriter {
    /**
     * Sets the pixels {@code [x, x + block.width()) x [y, y + block.height())}. Every block has the colour planes,
     * alpha and bit depth of the first one; rows already written cannot be set again.
     */
    void put(Image block, int x, int y);
  }

  /**
   * Opens {@code path} for reading by rows, refusing from its header an image of more than {@code maxPixels}.
   * EXIF orientation is applied (a rotated JPEG is decoded whole anyway).
   */
  public static RowReader reader(Path path, long maxPixels) {
    ImageFiles.Header header = ImageFiles.header(path);
    PixelLimit.check(path, header.storedWidth(), header.storedHeight(), maxPixels);
    if (header.format().equals("PNG")) {
      PngRows png = PngRows.open(path);
      if (png != null) {
        return png;
      }
    }
    return new WholeImageRows(ImageFiles.read(path, maxPixels));
  }

  /** The rows of an image in memory. */
  public static RowReader reader(Image image) {
    return new WholeImageRows(image);
  }

  /** Fills a {@link BlockWriter} with every pixel of the image. */
  @FunctionalInterface
  public interface BlockProducer {
    void produce(BlockWriter out);
  }

  /**
   * Writes the {@code width x height} image that {@code producer} puts to {@code path} (format from the extension,
   * as {@link ImageFiles#write}): streamed row by row for .png, assembled in memory and written at the end
   * otherwise. The file appears atomically, and only when every pixel was set.
   */
  public static void write(Path path, int width, int height, BlockProducer producer) {
    if (!ImageFiles.extension(path).equals("png")) {
      ImageAssembler whole = new ImageAssembler(width, height);
      producer.produce(whole);
      ImageFiles.write(whole.image(), path);
      return;
    }
    try {
      AtomicFiles.write(path, tmp -> {
        try (OutputStream out = Files.newOutputStream(tmp)) {
          PngBlockWriter png = new PngBlockWriter(out, path, width, height);
          producer.produce(png);
          png.finish();
        }
      });
    } catch (IOException | PngjException e) {
      throw new BadInputException(path + ": cannot write (" + e.getMessage() + ")", e);
    }
  }

  /** Serves the rows of an image held in memory. */
  private static final class WholeImageRows implements RowReader {
    private final Image image;
    private int next;

    WholeImageRows(Image image) {
      this.image = image;
    }

    @Override
    public int width() {
      return image.width();
    }

    @Override
    public int height() {
      return image.height();
    }

    @Override
    public int samples() {
      return image.channels() + (image.hasAlpha() ? 1 : 0);
    }

    @Override
    public Image readRows(int count) {
      int rows = Math.min(count, image.height() - next);
      Image band = image.crop(0, next, image.width(), rows);
      next += rows;
      return band;
    }

    @Override
    public void close() {}
  }

  /** A plain (non-interlaced, non-palette, no colour key) PNG read row by row with PNGJ. */
  private static final class PngRows implements RowReader {
    private final Path path;
    private final PngReader png;
    private final ImageInfo info;
    private final float scale;
    private IImageLine pending; // the first row, read to see the chunks before it

    private PngRows(Path path, PngReader png, IImageLine first) {
      this.path = path;
      this.png = png;
      this.info = png.imgInfo;
      this.scale = (float) (1.0 / ((1 << info.bitDepth) - 1));
      this.pending = first;
    }

    /** The reader, or null when the PNG is of a kind decoded whole. */
    static PngRows open(Path path) {
      PngReader png = null;
      try {
        png = new PngReader(Files.newInputStream(path), true);
        png.setMaxTotalBytesRead(Long.MAX_VALUE);
        if (png.isInterlaced() || png.imgInfo.indexed) {
          png.close();
          return null;
        }
        IImageLine first = png.readRow();
        if (png.getMetadata().getTRNS() != null) {
          png.close();
          return null;
        }
        return new PngRows(path, png, first);
      } catch (IOException | PngjException e) {
        if (png != null) {
          png.close();
        }
        throw damaged(path, e);
      }
    }

    @Override
    public int width() {
      return info.cols;
    }

    @Override
    public int height() {
      return info.rows;
    }

    @Override
    public int samples() {
      return info.channels;
    }

    @Override
    public Image readRows(int count) {
      int colour = info.greyscale ? 1 : 3;
      int channels = info.channels;
      int w = info.cols;
      int rows = 0;
      float[][] planes = new float[channels][w * count];
      try {
        while (rows < count && (pending != null || png.hasMoreRows())) {
          IImageLine line = pending != null ? pending : png.readRow();
          pending = null;
          int[] samples = ((ImageLineInt) line).getScanline();
          for (int x = 0; x < w; x++) {
            for (int c = 0; c < channels; c++) {
              planes[c][rows * w + x] = samples[x * channels + c] * scale;
            }
          }
          rows++;
        }
      } catch (PngjException e) {
        throw damaged(path, e);
      }
      if (rows == 0) {
        throw new IllegalStateException("no rows left in " + path);
      }
      float[][] colourPlanes = new float[colour][];
      for (int c = 0; c < colour; c++) {
        colourPlanes[c] = trim(planes[c], w * rows);
      }
      float[] alpha = info.alpha ? trim(planes[colour], w * rows) : null;
      return new Image(w, rows, colourPlanes, alpha, info.bitDepth > 8 ? 16 : 8);
    }

    private static float[] trim(float[] plane, int length) {
      return plane.length == length ? plane : java.util.Arrays.copyOf(plane, length);
    }

    @Override
    public void close() {
      png.close();
    }
  }

  private static BadInputException damaged(Path path, Exception e) {
    return new BadInputException(path + ": truncated or corrupt PNG data (" + e.getMessage() + ")", e);
  }

  /**
   * Writes a PNG row by row with PNGJ: blocks are quantised into pending rows (2 bytes per sample), and each row
   * goes out once complete.
   */
  private static final class PngBlockWriter implements BlockWriter {
    private final OutputStream out;
    private final Path target;
    private final int width;
    private final int height;
    private final Deque<char[]> pendingRows = new ArrayDeque<>(); // rows nextRow, nextRow + 1, ...
    private final Deque<int[]> filled = new ArrayDeque<>(); // pixels set in each pending row
    private PngWriter png;
    private int samples; // per pixel
    private int colour;
    private boolean alpha;
    private int maxCode;
    private int nextRow;

    /** {@code target} names the file for messages. */
    PngBlockWriter(OutputStream out, Path target, int width, int height) {
      if (width < 1 || height < 1) {
        throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
      }
      this.out = out;
      this.target = target;
      this.width = width;
      this.height = height;
    }

    @Override
    public void put(Image block, int x, int y) {
      if (png == null) {
        colour = block.channels();
        alpha = block.hasAlpha();
        samples = colour + (alpha ? 1 : 0);
        maxCode = block.bitDepth() == 16 ? 65535 : 255;
        png = new PngWriter(out, new ImageInfo(width, height, block.bitDepth(), alpha, colour == 1, false));
        png.setShouldCloseStream(false);
      }
      if (block.channels() != colour || block.hasAlpha() != alpha || (block.bitDepth() == 16) != (maxCode == 65535)) {
        throw new IllegalArgumentException(block + " differs from the first block of " + target);
      }
      if (x < 0 || y < nextRow || x + block.width() > width || y + block.height() > height) {
        throw new IllegalArgumentException("block " + block.width() + "x" + block.height() + "+" + x + "+" + y
            + " lies outside the unwritten part of a " + width + "x" + height + " image (rows from " + nextRow + ")");
      }
      while (nextRow + pendingRows.size() < y + block.height()) {
        pendingRows.addLast(new char[width * samples]);
        filled.addLast(new int[1]);
      }
      char[][] rows = pendingRows.toArray(new char[0][]);
      int[][] counts = filled.toArray(new int[0][]);
      for (int by = 0; by < block.height(); by++) {
        char[] row = rows[y + by - nextRow];
        for (int c = 0; c < samples; c++) {
          float[] plane = c < colour ? block.plane(c) : block.alpha();
          for (int bx = 0; bx < block.width(); bx++) {
            row[(x + bx) * samples + c] = (char) Quantize.toCode(plane[by * block.width() + bx], maxCode);
          }
        }
        counts[y + by - nextRow][0] += block.width();
      }
      int[] line = new int[width * samples];
      while (!pendingRows.isEmpty() && filled.peekFirst()[0] >= width) {
        char[] row = pendingRows.removeFirst();
        filled.removeFirst();
        for (int i = 0; i < line.length; i++) {
          line[i] = row[i];
        }
        png.writeRowInt(line);
        nextRow++;
      }
    }

    /** Ends the PNG; every row must have been written. */
    void finish() {
      if (png == null || nextRow != height) {
        throw new IllegalStateException(target + ": only " + nextRow + " of " + height + " rows were set");
      }
      png.end();
    }
  }

  /** An image assembled in memory from blocks (for outputs that are not streamed). */
  public static final class ImageAssembler implements BlockWriter {
    private final int width;
    private final int height;
    private float[][] planes;
    private float[] alpha;
    private int bitDepth;

    public ImageAssembler(int width, int height) {
      this.width = width;
      this.height = height;
    }

    /** Copies {@code block} to {@code (x, y)}; every block has the planes, alpha and depth of the first. */
    @Override
    public void put(Image block, int x, int y) {
      if (planes == null) {
        planes = new float[block.channels()][Math.multiplyExact(width, height)];
        alpha = block.hasAlpha() ? new float[width * height] : null;
        bitDepth = block.bitDepth();
      }
      for (int by = 0; by < block.height(); by++) {
        int src = by * block.width();
        int dst = (y + by) * width + x;
        for (int c = 0; c < planes.length; c++) {
          System.arraycopy(block.plane(c), src, planes[c], dst, block.width());
        }
        if (alpha != null) {
          System.arraycopy(block.alpha(), src, alpha, dst, block.width());
        }
      }
    }

    public Image image() {
      return new Image(width, height, planes, alpha, bitDepth);
    }
  }
}
