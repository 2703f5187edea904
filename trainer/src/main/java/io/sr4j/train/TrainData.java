package io.sr4j.train;

import io.sr4j.arch.GeneratorOptions;
import io.sr4j.config.ConfigException;
import io.sr4j.config.DatasetConfig;
import io.sr4j.data.pairs.BundledData;
import io.sr4j.data.pairs.LrSynthesis;
import io.sr4j.data.pairs.PairedFolder;
import io.sr4j.data.train.PatchColor;
import io.sr4j.data.train.PatchSource;
import io.sr4j.data.train.RandomPatchOptions;
import io.sr4j.data.train.RandomPatchSource;
import io.sr4j.data.train.SrcnnSubImageOptions;
import io.sr4j.data.train.SrcnnSubImageSource;
import java.nio.file.Path;

/** The training batches a dataset config describes, checked against the network they feed. */
public final class TrainData {
  private TrainData() {}

  /** Opens the patch source of {@code datasets.train} for generator {@code g} at SR factor {@code scale}. */
  public static PatchSource open(DatasetConfig d, GeneratorOptions g, int scale, long seed, String where) {
    Path hr = BundledData.resolveHrFolder(d.datarootGt());
    if (g.preUpsampled() != d.isSrcnnSubImages()) {
      throw new ConfigException(where + ".type: " + d.type() + " does not fit the network: "
          + (g.preUpsampled() ? "it runs on bicubic-upscaled images; use " + DatasetConfig.SRCNN_SUBIMAGES
              : "it upscales by itself; use " + DatasetConfig.PAIRED));
    }
    if (d.isSrcnnSubImages()) {
      if (g.colourChannels() != 1) {
        throw new ConfigException(where + ".type: " + DatasetConfig.SRCNN_SUBIMAGES + " makes Y sub-images; the network "
            + "needs num_in_ch: 1");
      }
      return SrcnnSubImageSource.fromHrFolder(hr, new SrcnnSubImageOptions(scale, d.subImageSize(), d.subImageStride(),
          d.batchSizePerGpu(), d.datasetEnlargeRatio(), seed));
    }
    if (d.gtSize() == null || d.gtSize() % scale != 0) {
      throw new ConfigException(where + ".gt_size: " + d.gtSize() + " is not allowed, expected the HR patch side in "
          + "pixels, a multiple of the scale " + scale);
    }
    boolean y = d.color().equals("y");
    if (y != (g.colourChannels() == 1)) {
      throw new ConfigException(where + ".color: " + d.color() + " does not fit the network's num_in_ch "
          + g.colourChannels() + " (y needs 1, rgb needs 3)");
    }
    PairedFolder folder = d.datarootLq() == null
        ? PairedFolder.synthesized(hr, scale, LrSynthesis.RGB8)
        : PairedFolder.withLrFolder(hr, Path.of(d.datarootLq()), scale);
    RandomPatchOptions o = new RandomPatchOptions(d.gtSize(), d.batchSizePerGpu(), d.useHflip(), d.useRot(),
        d.datasetEnlargeRatio(), seed, y ? PatchColor.Y : PatchColor.RGB, (long) d.memoryBudgetMb() << 20, null);
    return RandomPatchSource.open(folder, o);
  }
}
