package io.sr4j.config;

import java.util.List;

/**
 * One data set of {@code datasets}: the training set or a validation set (BasicSR {@code PairedImageDataset}
 * semantics). {@code datarootGt} is a folder of HR images or a bundled set name (Set5, Set14, T91);
 * {@code datarootLq} an optional LR folder in DIV2K naming, otherwise LR images are made by MATLAB bicubic.
 * {@code misalignPx} and {@code misalignRotationDeg} make training pairs misaligned on purpose (see
 * {@link io.sr4j.data.train.RandomPatchSource}).
 */
public record DatasetConfig(
    String name,
    String type,
    String datarootGt,
    String datarootLq,
    Integer gtSize,
    Boolean useHflip,
    Boolean useRot,
    String color,
    Integer datasetEnlargeRatio,
    Integer batchSizePerGpu,
    Integer numWorkerPerGpu,
    Integer subImageSize,
    Integer subImageStride,
    Integer memoryBudgetMb,
    Integer misalignPx,
    Double misalignRotationDeg) {

  /** BasicSR's random-patch paired dataset. */
  public static final String PAIRED = "PairedImageDataset";
  /** SRCNN's precomputed 33x33 Y sub-images of bicubic-upscaled inputs (pre-upsampling networks). */
  public static final String SRCNN_SUBIMAGES = "SRCNNSubImageDataset";

  public DatasetConfig {
    Check.required("dataroot_gt", datarootGt);
    name = name == null ? java.nio.file.Path.of(datarootGt).normalize().getFileName().toString() : name;
    if (!name.matches("[A-Za-z0-9_.-]+") || name.equals(".") || name.equals("..")) {
      throw new InvalidValue("name", "'" + name + "'", "letters, digits, '_', '-' and '.' (it names metric keys and "
          + "sample folders)");
    }
    type = Check.oneOf("type", type, PAIRED, List.of(PAIRED, SRCNN_SUBIMAGES));
    color = Check.oneOf("color", color, "rgb", List.of("rgb", "y"));
    useHflip = useHflip == null || useHflip;
    useRot = useRot == null || useRot;
    datasetEnlargeRatio = Check.intInRange("dataset_enlarge_ratio", datasetEnlargeRatio, 1, 1_000_000, 1);
    batchSizePerGpu = Check.intInRange("batch_size_per_gpu", batchSizePerGpu, 1, 65_536, 16);
    numWorkerPerGpu = Check.intInRange("num_worker_per_gpu", numWorkerPerGpu, 0, 64, 2);
    subImageSize = Check.intInRange("sub_image_size", subImageSize, 8, 1024, 33);
    subImageStride = Check.intInRange("sub_image_stride", subImageStride, 1, 1024, 14);
    memoryBudgetMb = Check.intInRange("memory_budget_mb", memoryBudgetMb, 0, 1 << 24, 4096);
    misalignPx = Check.intInRange("misalign_px", misalignPx, 0, 64, 0);
    misalignRotationDeg = Check.inRange("misalign_rotation_deg", misalignRotationDeg, 0,
        io.sr4j.data.train.RandomPatchOptions.MAX_ROTATION_DEG, 0);
    if (SRCNN_SUBIMAGES.equals(type) && misalignPx > 0) {
      throw new InvalidValue("misalign_px", misalignPx, "0: misaligned pairs are made by " + PAIRED);
    }
    if (SRCNN_SUBIMAGES.equals(type) && misalignRotationDeg > 0) {
      throw new InvalidValue("misalign_rotation_deg", misalignRotationDeg, "0: misaligned pairs are made by " + PAIRED);
    }
    if (gtSize != null) {
      Check.intInRange("gt_size", gtSize, 4, 8192, 0);
    }
    // one batch is one array: its element count must fit an int, and stay far from exhausting memory
    long side = gtSize != null ? gtSize : subImageSize;
    long elements = (long) batchSizePerGpu * 3 * side * side;
    if (elements > (1L << 28)) {
      throw new InvalidValue("batch_size_per_gpu", batchSizePerGpu, "a batch of at most 2^28 values (1 GB of float): "
          + batchSizePerGpu + " x 3 x " + side + " x " + side + " is " + elements);
    }
  }

  public boolean isSrcnnSubImages() {
    return SRCNN_SUBIMAGES.equals(type);
  }
}
