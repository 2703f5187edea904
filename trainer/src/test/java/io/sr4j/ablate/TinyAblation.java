package io.sr4j.ablate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tiny base config (an MSRResNet with one block of 8 features, x2, 16 px patches of the bundled Set5, validated on
 * Set5) and specs written next to it, so ablations train in seconds.
 */
public final class TinyAblation {
  private TinyAblation() {}

  /** Writes {@code base.yml} into {@code dir} (runs under dir/runs) with {@code iterations}, validation every val_freq. */
  public static Path base(Path dir, int iterations, int valFreq, int checkpointFreq) {
    return write(dir.resolve("base.yml"), """
        name: tiny
        scale: 2
        manual_seed: 3
        datasets:
          train: {name: Set5, dataroot_gt: Set5, gt_size: 16, batch_size_per_gpu: 4, num_worker_per_gpu: 1}
          val: {name: Set5, dataroot_gt: Set5}
        network_g: {type: srresnet, style: msrresnet, scale: 2, num_feat: 8, num_block: 1}
        path: {experiments_root: %s}
        train:
          optim_g: {type: Adam, lr: 0.002}
          total_iter: %d
          pixel_opt: {type: L1Loss}
        val:
          val_freq: %d
          num_save_img: 1
          metrics:
            psnr: {type: calculate_psnr, crop_border: 2}
            ssim: {type: calculate_ssim, crop_border: 2}
        logger: {print_freq: 1000, save_checkpoint_freq: %d, keep_checkpoints: 2}
        """.formatted(dir.resolve("runs"), iterations, valFreq, checkpointFreq));
  }

  public static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
