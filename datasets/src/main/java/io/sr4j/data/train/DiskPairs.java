package io.sr4j.data.train;

import io.sr4j.data.BadInputException;
import io.sr4j.data.Parallel;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.data.pairs.PairedFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Pairs read from disk for every crop (only the crop's region is decoded). LR images synthesised from HR images
 * are made once and kept as PNG files in a cache folder, named after the HR file's path, size and modification
 * time so that a changed HR image gets a new LR file.
 */
final class DiskPairs implements PairStore {
  private final Path[] lrFiles;
  private final Path[] hrFiles;
  private final List<ImageFiles.Dimensions> lrSizes;
  private final String description;

  private DiskPairs(Path[] lrFiles, Path[] hrFiles, List<ImageFiles.Dimensions> lrSizes, String description) {
    this.lrFiles = lrFiles;
    this.hrFiles = hrFiles;
    this.lrSizes = lrSizes;
    this.description = description;
  }

  /** Uses the LR folder of {@code folder}, or synthesises missing LR files into {@code cacheDir}. */
  static DiskPairs prepare(PairedFolder folder, List<ImageFiles.Dimensions> lrSizes, Path cacheDir, int threads,
      String budgetNote) {
    int n = folder.size();
    Path[] hr = new Path[n];
    Path[] lr = new Path[n];
    for (int i = 0; i < n; i++) {
      hr[i] = folder.hrFile(i);
    }
    String lrOrigin;
    if (folder.hasLrFolder()) {
      for (int i = 0; i < n; i++) {
        lr[i] = folder.lrFile(i);
      }
      lrOrigin = "LR images from " + folder.lrDir();
    } else {
      Parallel.forEach(n, threads, i -> {
        Path cached = cacheDir.resolve(cacheName(hr[i], folder.scale()));
        if (!Files.isRegularFile(cached)) {
          ImageFiles.write(RandomPatchSource.loadPair8(folder, i).lr(), cached);
        }
        lr[i] = cached;
      });
      lrOrigin = "LR images synthesised once into " + cacheDir;
    }
    String description = "decoded from disk per patch (" + budgetNote + "); " + lrOrigin;
    return new DiskPairs(lr, hr, List.copyOf(lrSizes), description);
  }

  /** {@code <stem>x<scale>-<key>.png}, the key a digest of the HR file's absolute path, size and time. */
  static String cacheName(Path hrFile, int scale) {
    try {
      String identity = hrFile.toAbsolutePath().normalize() + "\n" + Files.size(hrFile) + "\n"
          + Files.getLastModifiedTime(hrFile).toMillis() + "\n" + scale;
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return ImageFiles.stem(hrFile) + "x" + scale + "-" + HexFormat.of().formatHex(digest, 0, 8) + ".png";
    } catch (IOException e) {
      throw new BadInputException(hrFile + ": cannot read (" + e.getMessage() + ")", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  @Override
  public ImageFiles.Dimensions lrSize(int i) {
    return lrSizes.get(i);
  }

  @Override
  public ByteImage lrCrop(int i, int x, int y, int sizePx) {
    return ByteImage.of(ImageFiles.readRegion(lrFiles[i], x, y, sizePx, sizePx));
  }

  @Override
  public ByteImage hrCrop(int i, int x, int y, int w, int h) {
    return ByteImage.of(ImageFiles.readRegion(hrFiles[i], x, y, w, h));
  }

  @Override
  public String describe() {
    return description;
  }
}
