package io.sr4j.train;

import io.sr4j.arch.GeneratorOptions;
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

/** The training batches a dataset config describes (checked against the network by {@link RunSetup}). */
public final class TrainData {
  private TrainData() {}

  /** Opens the patch source of {@code datasets.train} for generator {@code g} at SR factor {@code scale}. */
  public static PatchSource open(DatasetConfig d, GeneratorOptions g, int scale, long seed, String where) {
    RunSetup.checkData(d, g, scale, where);
    Path hr = BundledData.resolveHrFolder(d.datarootGt());
    if (d.isSrcnnSubImages()) {
      return SrcnnSubImageSource.fromHrFolder(hr, new SrcnnSubImageOptions(scale, d.subImageSize(), d.subImageStride(),
          d.batchSizePerGpu(), d.datasetEnlargeRatio(), seed));
    }
    PairedFolder folder = d.datarootLq() == null
        ? PairedFolder.synthesized(hr, scale, LrSynthesis.RGB8)
        : PairedFolder.withLrFolder(hr, Path.of(d.datarootLq()), scale);
    RandomPatchOptions o = new RandomPatchOptions(d.gtSize(), d.batchSizePerGpu(), d.useHflip(), d.useRot(),
        d.datasetEnlargeRatio(), seed, d.color().equals("y") ? PatchColor.Y : PatchColor.RGB,
        (long) d.memoryBudgetMb() << 20, null, d.misalignPx(), d.misalignRotationDeg());
    return RandomPatchSource.open(folder, o);
  }
}
