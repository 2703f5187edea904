package io.sr4j.data.image;

import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.imaging.jpeg.JpegProcessingException;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The EXIF orientation of a JPEG file (tag 0x0112, values 1 to 8): how the stored pixels must be flipped or
 * rotated to appear as cameras and viewers show them. Images are read upright: {@link #apply} turns the stored
 * pixels, {@link #storedRegion} finds the stored pixels of an upright region.
 *
 * <p>Each value maps upright pixel (x, y) of the {@code W x H} upright image to a stored pixel of the stored
 * {@code w x h} image: 1 as is, 2 mirrored, 3 rotated 180 degrees, 4 flipped, 5 transposed, 6 rotated 90 degrees
 * clockwise for display, 7 transversed, 8 rotated 90 degrees counter-clockwise for display.
 */
public enum Orientation {
  NORMAL, MIRROR, ROTATE_180, FLIP, TRANSPOSE, ROTATE_90, TRANSVERSE, ROTATE_270;

  /** The orientation a JPEG file's EXIF data records (NORMAL when it has none or is not a JPEG). */
  static Orientation of(Path file, String format) {
    if (!format.equals("JPEG")) {
      return NORMAL;
    }
    try {
      Metadata metadata = JpegMetadataReader.readMetadata(file.toFile(), List.of(new ExifReader()));
      ExifIFD0Directory exif = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
      Integer value = exif == null ? null : exif.getInteger(ExifIFD0Directory.TAG_ORIENTATION);
      return value != null && value >= 1 && value <= 8 ? values()[value - 1] : NORMAL;
    } catch (JpegProcessingException | IOException | RuntimeException e) {
      return NORMAL; // unreadable EXIF data: the pixels are decoded (and checked) as stored
    }
  }

  /** True when width and height trade places. */
  public boolean swapsSides() {
    return ordinal() >= TRANSPOSE.ordinal();
  }

  /** The stored pixel ({@code [x, y]}) shown at upright position ({@code ux}, {@code uy}); stored size w x h. */
  private int[] stored(int ux, int uy, int w, int h) {
    return switch (this) {
      case NORMAL -> new int[] {ux, uy};
      case MIRROR -> new int[] {w - 1 - ux, uy};
      case ROTATE_180 -> new int[] {w - 1 - ux, h - 1 - uy};
      case FLIP -> new int[] {ux, h - 1 - uy};
      case TRANSPOSE -> new int[] {uy, ux};
      case ROTATE_90 -> new int[] {uy, h - 1 - ux};
      case TRANSVERSE -> new int[] {w - 1 - uy, h - 1 - ux};
      case ROTATE_270 -> new int[] {w - 1 - uy, ux};
    };
  }

  /** The stored pixels ({@code w x h} image) of the upright region {@code upright}: its rotated bounding box. */
  Rectangle storedRegion(Rectangle upright, int w, int h) {
    int[] a = stored(upright.x, upright.y, w, h);
    int[] b = stored(upright.x + upright.width - 1, upright.y + upright.height - 1, w, h);
    int x0 = Math.min(a[0], b[0]);
    int y0 = Math.min(a[1], b[1]);
    return new Rectangle(x0, y0, Math.abs(a[0] - b[0]) + 1, Math.abs(a[1] - b[1]) + 1);
  }

  /** {@code stored} (pixels as the file stores them) turned upright. */
  public Image apply(Image stored) {
    if (this == NORMAL) {
      return stored;
    }
    int w = stored.width();
    int h = stored.height();
    int uw = swapsSides() ? h : w;
    int uh = swapsSides() ? w : h;
    int[] index = new int[uw * uh]; // upright position -> stored position
    for (int uy = 0; uy < uh; uy++) {
      for (int ux = 0; ux < uw; ux++) {
        int[] s = stored(ux, uy, w, h);
        index[uy * uw + ux] = s[1] * w + s[0];
      }
    }
    float[][] planes = new float[stored.channels()][];
    for (int c = 0; c < planes.length; c++) {
      planes[c] = gather(stored.plane(c), index);
    }
    float[] alpha = stored.hasAlpha() ? gather(stored.alpha(), index) : null;
    return new Image(uw, uh, planes, alpha, stored.bitDepth());
  }

  private static float[] gather(float[] plane, int[] index) {
    float[] out = new float[index.length];
    for (int i = 0; i < index.length; i++) {
      out[i] = plane[index[i]];
    }
    return out;
  }
}
