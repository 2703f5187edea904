package io.sr4j.data.train;

import io.sr4j.data.image.ImageFiles;
import java.util.Locale;

/**
 * The 8-bit LR/HR training pairs behind a {@link RandomPatchSource}: held in memory, or read from disk for each
 * crop. Both give the same bytes for the same crop. Implementations are thread-safe.
 */
interface PairStore {
  /** LR size of pair {@code i}; its HR is exactly {@code scale} times larger (aligned top-left). */
  ImageFiles.Dimensions lrSize(int i);

  /** The LR crop of side {@code sizePx} at {@code (x, y)} of pair {@code i}. */
  ByteImage lrCrop(int i, int x, int y, int sizePx);

  /**
   * The region {@code [x, x + w) x [y, y + h)} of pair {@code i}'s HR image (inside its aligned part, {@code scale}
   * times the LR size); the HR crop aligned with an LR crop at {@code (lrX, lrY)} is at {@code (lrX * scale,
   * lrY * scale)}.
   */
  ByteImage hrCrop(int i, int x, int y, int w, int h);

  /** Where the pairs live, for logs. */
  String describe();

  /** {@code bytes} in KiB/MiB/GiB with one decimal. */
  static String formatBytes(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
