package io.sr4j.data.train;

import io.sr4j.data.Parallel;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.data.pairs.PairedFolder;
import io.sr4j.data.pairs.PairedSample;

/** All pairs decoded once and held as 8-bit planes. */
final class InMemoryPairs implements PairStore {
  private final ByteImage[] lr;
  private final ByteImage[] hr;
  private final String description;

  private InMemoryPairs(ByteImage[] lr, ByteImage[] hr, String description) {
    this.lr = lr;
    this.hr = hr;
    this.description = description;
  }

  /** Decodes (and synthesises LR for) every pair of {@code folder} on {@code threads} threads. */
  static InMemoryPairs load(PairedFolder folder, int threads, String budgetNote) {
    int n = folder.size();
    ByteImage[] lr = new ByteImage[n];
    ByteImage[] hr = new ByteImage[n];
    Parallel.forEach(n, threads, i -> {
      PairedSample sample = RandomPatchSource.loadPair8(folder, i);
      lr[i] = ByteImage.of(sample.lr());
      hr[i] = ByteImage.of(sample.hr());
    });
    long bytes = 0;
    for (int i = 0; i < n; i++) {
      bytes += lr[i].bytes() + hr[i].bytes();
    }
    String description = "in memory: " + n + " image pairs as 8-bit planes, " + PairStore.formatBytes(bytes)
        + " (" + budgetNote + ")";
    return new InMemoryPairs(lr, hr, description);
  }

  @Override
  public ImageFiles.Dimensions lrSize(int i) {
    return new ImageFiles.Dimensions(lr[i].width(), lr[i].height());
  }

  @Override
  public ByteImage lrCrop(int i, int x, int y, int sizePx) {
    return lr[i].crop(x, y, sizePx, sizePx);
  }

  @Override
  public ByteImage hrCrop(int i, int x, int y, int w, int h) {
    return hr[i].crop(x, y, w, h);
  }

  @Override
  public String describe() {
    return description;
  }
}
