package io.sr4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.data.image.Image;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.data.image.ImageStreams;
import io.sr4j.data.image.PixelLimit;
import io.sr4j.data.metrics.MetricChannel;
import io.sr4j.data.pairs.PairedFolder;
import io.sr4j.eval.Metric;
import io.sr4j.eval.Metrics;
import io.sr4j.eval.Scoring;
import io.sr4j.infer.ImageUpscaling;
import io.sr4j.infer.Models;
import io.sr4j.infer.TiledUpscaler;
import io.sr4j.infer.Upscaler;
import io.sr4j.train.RunPlan;
import io.sr4j.train.RunSetup;
import io.sr4j.train.Trainer;
import io.sr4j.train.TrainingListener;
import io.sr4j.train.TrainingRun;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java API as README's "Java API" section shows it: load a model, upscale a BufferedImage and a file, evaluate a
 * folder, train from a config in code. The code of each test is the example; the assertions show what it gives.
 */
class JavaApiExampleTest {
  @TempDir Path dir;

  @Test
  void loadAModelAndUpscaleABufferedImageAndAFile() throws IOException {
    // Any model file sr4j reads: its checkpoints and exports (.zip), .onnx exports, SRCNN .mat files, PyTorch
    // .pth/.safetensors (ESRGAN, BasicSR), zoo:NAME; or "bicubic". The scale comes from the file (null).
    Upscaler model = Models.open(Models.ModelSpec.of("../pretrained/srcnn_955_x3.zip"), null);

    // A BufferedImage, tile by tile (128 px tiles with 16 px of context: bounded memory whatever the image size).
    BufferedImage photo = ImageIO.read(Path.of("../datasets/data/Set5/HR/butterfly.png").toFile());
    Upscaler tiled = new TiledUpscaler(model, 128, 16, tilesDone -> { });
    BufferedImage big = ImageFiles.toBufferedImage(tiled.upscale(ImageFiles.fromBufferedImage(photo)));

    // A file to a file, as `sr upscale --tile 128` does it (a PNG is read and written a band of tiles at a time).
    Path output = dir.resolve("butterfly_x3.png");
    ImageUpscaling.file(model, Path.of("../datasets/data/Set5/HR/butterfly.png"), output, 128, 16,
        PixelLimit.defaultMaxPixels(), tileCount -> tilesDone -> { });

    assertEquals(3 * photo.getWidth(), big.getWidth());
    Image written = ImageFiles.read(output);
    assertEquals(3 * photo.getHeight(), written.height());
    assertEquals(3, written.channels(), "colour: SRCNN upscales Y, Cb and Cr are upscaled bicubically");
    try (ImageStreams.RowReader rows = ImageStreams.reader(output, PixelLimit.defaultMaxPixels())) {
      assertEquals(big.getWidth(), rows.width());
    }
  }

  @Test
  void evaluateAFolderAsPapersDo() {
    Upscaler model = Models.open(Models.ModelSpec.of("../pretrained/srcnn_955_x3.zip"), null);
    Map<String, Metric> metrics = Metrics.named(List.of("psnr", "ssim"), MetricChannel.Y, 3, 0);
    // a folder of HR images or a bundled set; LR made as the paper's pipeline makes it
    PairedFolder set = Scoring.pairedSet("Set5", null, 3, Scoring.paperSynthesis(model, metrics));
    Scoring.Table table = Scoring.score(model, set, metrics, (sample, sr, scores) -> { });

    assertEquals(5, table.images().size());
    assertEquals(32.75, table.means().get("psnr"), 0.005, "the SRCNN paper's Set5 x3 number");
  }

  @Test
  void trainFromAConfigInCode() {
    // the same validation as `sr train --dry-run`, then the run; --set overrides as a list
    RunPlan plan = RunSetup.prepare(Path.of("../configs/quickstart.yml"), List.of("train.total_iter=20",
        "val.val_freq=20", "path.experiments_root=" + dir), null);
    List<Double> psnr = new ArrayList<>();
    TrainingListener watcher = new TrainingListener() { // any number of listeners follow the run
      @Override
      public void validated(TrainingRun run, long iteration, Map<String, Double> values) {
        psnr.add(values.get("Set5_psnr"));
      }
    };
    Trainer.Result result = new Trainer(plan, System.out::println).listen(watcher).run(null);

    assertEquals(20, result.iterations());
    assertEquals(1, psnr.size());
    assertTrue(result.runDir().resolve("models/net_g_final.zip").toFile().isFile());
  }
}
