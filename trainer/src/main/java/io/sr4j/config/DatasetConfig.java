package io.sr4j.config;

import java.util.List;

/**
 * One data set of {@code datasets}: the training set or a validation set (BasicSR {@code PairedImageDataset}
 * semantics). {@code datarootGt} is a folder of HR images or a bundled set name (Set5, Set14, T91);
 * {@code datarootLq} an optional LR folder in DIV2K naming, otherwise LR images are made by MATLAB bicubic.
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
    Integer memoryBudgetMb) {

  /** BasicSR's random-patch paired dataset. */
  public static final String PAIRED = "PairedImageDataset";
  /** SRCNN's precomputed 33x33 Y sub-images of bicubic-upscaled inputs (pre-upsampling networks). */
  public static final String SRCNN_SUBIMAGES = "SRCNNSubImageDataset";

  public DatasetConfig {
    name = name == null ? datarootGt : name;
    type = Check.oneOf("type", type, PAIRED, List.of(PAIRED, SRCNN_SUBIMAGES));
    Check.required("dataroot_gt", datarootGt);
    color = Check.oneOf("color", color, "rgb", List.of("rgb", "y"));
    useHflip = useHflip == null || useHflip;
    useRot = useRot == null || useRot;
    datasetEnlargeRatio = Check.intAtLeast("dataset_enlarge_ratio", datasetEnlargeRatio, 1, 1);
    batchSizePerGpu = Check.intAtLeast("batch_size_per_gpu", batchSizePerGpu, 1, 16);
    numWorkerPerGpu = Check.intAtLeast("num_worker_per_gpu", numWorkerPerGpu, 0, 2);
    subImageSize = Check.intAtLeast("sub_image_size", subImageSize, 8, 33);
    subImageStride = Check.intAtLeast("sub_image_stride", subImageStride, 1, 14);
    memoryBudgetMb = Check.intAtLeast("memory_budget_mb", memoryBudgetMb, 0, 4096);
    if (gtSize != null) {
      Check.intAtLeast("gt_size", gtSize, 4, 0);
    }
  }

  public boolean isSrcnnSubImages() {
    return SRCNN_SUBIMAGES.equals(type);
  }
}
