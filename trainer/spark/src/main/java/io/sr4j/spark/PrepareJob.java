package io.sr4j.spark;

import io.sr4j.data.BadInputException;
import io.sr4j.data.image.Image;
import io.sr4j.data.pairs.LrSynthesis;
import io.sr4j.data.pairs.PairedFolder;
import io.sr4j.data.prep.SubImageExtractor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Training-data preparation of a large HR set as a Spark job, one task item per HR image, in the DIV2K / BasicSR
 * layout under OUTPUT:
 *
 * <ul>
 *   <li>{@code LR_bicubic/X<s>/<name>x<s>.png}: the LR image, MATLAB {@code imresize(modcrop(HR, s), 1/s)} on the
 *       8-bit (or 16-bit) image ({@link LrSynthesis#RGB8}, as DIV2K's LR files were made);
 *   <li>{@code HR_sub/<name>_s001.png, ...}: the sub-images {@code sr data extract-subimages --input HR} cuts;
 *   <li>{@code LR_bicubic/X<s>_sub/<name>_s001.png, ...}: the LR sub-images {@code sr data extract-subimages
 *       --lr-input LR_bicubic/X<s> --scale s} cuts, each the partner of the HR sub-image of the same name. The HR
 *       sides must then be multiples of every scale (as DIV2K's are), so that the pairs line up.
 * </ul>
 */
final class PrepareJob {
  private PrepareJob() {}

  /**
   * @param input folder of HR images (any file system)
   * @param output root folder of the layout above (also holds manifest.jsonl)
   * @param scales LR scales to synthesise (may be empty when only sub-images are cut)
   * @param subImages sub-image geometry in HR pixels, or null for no sub-images
   */
  record Options(String input, String output, List<Integer> scales, SubImageExtractor.Options subImages,
      int partitions) {}

  static ItemRunner.Run run(JavaSparkContext sc, Options o, PrintWriter log) {
    List<Integer> scales = List.copyOf(o.scales());
    SubImageExtractor.Options sub = o.subImages();
    if (scales.isEmpty() && sub == null) {
      throw new BadInputException("nothing to prepare: give --scale (LR images) and/or --sub-images");
    }
    for (int s : scales) {
      if (s < 2) {
        throw new BadInputException("--scale must be an integer >= 2, got " + s);
      }
      if (sub != null && (sub.cropPx() % s != 0 || sub.stepPx() % s != 0)) {
        throw new BadInputException("crop " + sub.cropPx() + " and step " + sub.stepPx()
            + " must be multiples of the scale " + s + " to cut aligned LR sub-images");
      }
    }
    HadoopFiles files = new HadoopFiles(sc.hadoopConfiguration());
    List<String> sources = files.listImages(files.qualify(o.input()));
    ItemRunner.requireDistinct(sources, name -> io.sr4j.data.image.ImageFiles.stem(name) + "x<s>.png");
    if (sub != null) {
      ItemRunner.requireDistinct(sources, name -> SubImageExtractor.subImageName(SubImageExtractor.sourceStem(name), 1));
    }
    List<ItemRunner.Item> items = ItemRunner.itemsByStem(sources);
    String root = files.qualify(o.output());
    String job = ItemRunner.fingerprint("prepare", "scales=" + scales, "sub-images=" + sub);
    // the work's captured values travel to the executors: the geometry goes as plain numbers
    int[] geometryPx = sub == null ? null : new int[] {sub.cropPx(), sub.stepPx(), sub.threshPx()};
    ItemRunner.Work work = item -> {
      SubImageExtractor.Options geometry = geometryPx == null ? null
          : new SubImageExtractor.Options(geometryPx[0], geometryPx[1], geometryPx[2]);
      Image hr = files.readImage(item.source());
      Path local = files.localPath(item.source());
      Path source = local != null ? local : Path.of(item.source());
      List<SubImageExtractor.Crop> crops = geometry == null ? List.of() : SubImageExtractor.crops(hr.width(),
          hr.height(), geometry, SubImageExtractor.sourceStem(Path.of(HadoopFiles.fileName(item.source()))), source.toString());
      for (int s : scales) {
        if (geometry != null && (hr.width() % s != 0 || hr.height() % s != 0)) {
          throw new BadInputException(source + ": a " + hr.width() + "x" + hr.height() + " image cannot be cut into "
              + "aligned LR sub-images at x" + s + "; its sides must be multiples of the scale, as DIV2K's are");
        }
      }
      List<OutputFile> outputs = new ArrayList<>();
      for (int s : scales) {
        String lrDir = HadoopFiles.resolve(root, "LR_bicubic/X" + s);
        Image lr = PairedFolder.synthesize(item.name(), hr, s, LrSynthesis.RGB8, source).lr();
        outputs.add(files.writeImage(lr, HadoopFiles.resolve(lrDir, item.name() + "x" + s + ".png")));
        for (SubImageExtractor.Crop c : crops) {
          outputs.add(cut(files, lr, c.scaledDown(s), lrDir + "_sub"));
        }
      }
      for (SubImageExtractor.Crop c : crops) {
        outputs.add(cut(files, hr, c, HadoopFiles.resolve(root, "HR_sub")));
      }
      return new ItemRunner.Result(outputs, Map.of(), null);
    };
    return ItemRunner.run(sc, files, new Manifest(files, root), job, items, work,
        ItemRunner.partitions(sc, o.partitions(), items.size()), log);
  }

  private static OutputFile cut(HadoopFiles files, Image image, SubImageExtractor.Crop c, String dir) {
    return files.writeImage(image.crop(c.xPx(), c.yPx(), c.sizePx(), c.sizePx()), HadoopFiles.resolve(dir, c.name()));
  }
}
