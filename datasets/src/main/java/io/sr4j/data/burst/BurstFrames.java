package io.sr4j.data.burst;

import io.sr4j.data.BadInputException;
import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import java.nio.file.Path;
import java.util.List;

/**
 * The frames of a burst, all of one size: either held in memory, or files that are decoded when needed (whole
 * for alignment, one strip of rows at a time for merging), so that only a few frames' worth of pixels is ever
 * held. Alpha is ignored.
 */
public interface BurstFrames {
  int count();

  int width();

  int height();

  /** Name for messages (the file name, or "frame i"). */
  String name(int index);

  /** The whole frame, without alpha. */
  Image frame(int index);

  /** Rows {@code [y0, y0 + rows)}, full width, without alpha. */
  Image rows(int index, int y0, int rows);

  static BurstFrames of(List<Image> frames) {
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("a burst needs at least one frame");
    }
    Image first = frames.get(0);
    for (Image f : frames) {
      if (f.width() != first.width() || f.height() != first.height() || f.channels() != first.channels()) {
        throw new IllegalArgumentException("burst frames differ: " + f + " and " + first);
      }
    }
    return new BurstFrames() {
      @Override
      public int count() {
        return frames.size();
      }

      @Override
      public int width() {
        return first.width();
      }

      @Override
      public int height() {
        return first.height();
      }

      @Override
      public String name(int index) {
        return "frame " + index;
      }

      @Override
      public Image frame(int index) {
        return frames.get(index).withoutAlpha();
      }

      @Override
      public Image rows(int index, int y0, int rows) {
        return frames.get(index).withoutAlpha().crop(0, y0, first.width(), rows);
      }
    };
  }

  /**
   * Image files of one size and colour layout (checked from the headers now, and the layout when decoded);
   * errors name the offending file.
   */
  static BurstFrames files(List<Path> files) {
    if (files.isEmpty()) {
      throw new BadInputException("no frames given, expected at least one image file");
    }
    ImageFiles.Dimensions size = ImageFiles.dimensions(files.get(0));
    for (Path f : files) {
      ImageFiles.Dimensions d = ImageFiles.dimensions(f);
      if (!d.equals(size)) {
        throw new BadInputException(f + ": frame is " + d.width() + "x" + d.height() + ", but " + files.get(0)
            + " is " + size.width() + "x" + size.height() + "; all frames of a burst must have one size");
      }
    }
    int channels = ImageFiles.readRegion(files.get(0), 0, 0, 1, 1).channels();
    return new BurstFrames() {
      @Override
      public int count() {
        return files.size();
      }

      @Override
      public int width() {
        return size.width();
      }

      @Override
      public int height() {
        return size.height();
      }

      @Override
      public String name(int index) {
        return files.get(index).toString();
      }

      @Override
      public Image frame(int index) {
        return checked(index, ImageFiles.read(files.get(index)));
      }

      @Override
      public Image rows(int index, int y0, int rows) {
        return checked(index, ImageFiles.readRegion(files.get(index), 0, y0, size.width(), rows));
      }

      private Image checked(int index, Image image) {
        if (image.channels() != channels) {
          throw new BadInputException(files.get(index) + ": frame is " + (image.isGray() ? "gray" : "RGB") + ", but "
              + files.get(0) + " is " + (channels == 1 ? "gray" : "RGB") + "; all frames must have one colour layout");
        }
        return image.withoutAlpha();
      }
    };
  }
}
