package io.sr4j.spark;

import io.sr4j.data.BadInputException;
import io.sr4j.data.image.PixelLimit;
import io.sr4j.infer.Models;
import io.sr4j.infer.Upscaler;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code sr upscale} of a folder or list of images as a Spark job: each image upscaled by the model (restored once
 * per executor), tile by tile with {@code --tile}, and written as {@code OUTPUT/<name>.png} with the same bytes as
 * {@code sr upscale} writes.
 */
final class UpscaleJob {
  private UpscaleJob() {}

  /**
   * @param input a folder of images, or (with {@code inputIsList}) a text file listing one image path or URI a line
   * @param output the output folder (also holds manifest.jsonl)
   * @param tilePx tile side in LR pixels, 0 for whole images; {@code tilePadPx} context around each tile
   * @param partitions number of tasks, 0 for the default
   */
  record Options(Models.ModelSpec model, int scale, String input, boolean inputIsList, String output, int tilePx,
      int tilePadPx, int partitions) {}

  static ItemRunner.Run run(JavaSparkContext sc, Options o, PrintWriter log) {
    if (o.tilePx() < 0 || o.tilePadPx() < 0) {
      throw new BadInputException("--tile and --tile-pad must be >= 0, got " + o.tilePx() + " and " + o.tilePadPx());
    }
    HadoopFiles files = new HadoopFiles(sc.hadoopConfiguration());
    String in = files.qualify(o.input());
    List<String> sources = o.inputIsList() ? files.readList(in) : files.listImages(in);
    String outDir = files.qualify(o.output());
    if (files.exists(outDir) && !files.isDirectory(outDir)) {
      throw new BadInputException(outDir + ": is a file; give an output folder");
    }
    ItemRunner.requireDistinct(sources, name -> io.sr4j.data.image.ImageFiles.stem(name) + ".png");
    List<ItemRunner.Item> items = ItemRunner.itemsByStem(sources);
    ModelRef model = ModelRef.ship(sc, files, o.model(), o.scale());
    String job = ItemRunner.fingerprint("upscale", model.describe(), "tile=" + o.tilePx(), "pad=" + o.tilePadPx());
    int tilePx = o.tilePx();
    int tilePadPx = o.tilePadPx();
    ItemRunner.Work work = item -> {
      Upscaler upscaler = ModelPool.borrow(model);
      try {
        OutputFile out = files.upscaleImage(upscaler, item.source(), HadoopFiles.resolve(outDir, item.name() + ".png"),
            tilePx, tilePadPx, PixelLimit.defaultMaxPixels());
        return new ItemRunner.Result(List.of(out), Map.of(), upscaler.name());
      } finally {
        ModelPool.release(model, upscaler);
      }
    };
    return ItemRunner.run(sc, files, new Manifest(files, outDir), job, items, work,
        ItemRunner.partitions(sc, o.partitions(), items.size()), log);
  }
}
