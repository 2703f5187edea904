package io.sr4j.eval;

import io.sr4j.data.BadInputException;
import io.sr4j.data.image.Image;
import io.sr4j.data.pairs.LrSynthesis;
import io.sr4j.data.pairs.PairedFolder;
import io.sr4j.data.pairs.PairedSample;
import io.sr4j.infer.Upscaler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Several models' outputs on the same images, side by side: a {@link CropGrid} whose first column is the HR image
 * and whose other columns are the models' SR images (LR made by MATLAB bicubic from the 8-bit RGB HR image, as
 * {@code sr evaluate} makes it for RGB networks), all cropped to the same centre square.
 */
public final class ModelComparison {
  private ModelComparison() {}

  /**
   * Writes the grid to {@code file}: rows are the images of {@code set} named in {@code imageNames} (file names
   * without extension, in that order) or, when it is empty, its first {@code count} images; only the crops are kept.
   */
  public static void writeGrid(Path file, PairedFolder set, List<String> labels, List<Upscaler> models,
      List<String> imageNames, int count, int cropPx) {
    if (set.synthesis() != LrSynthesis.RGB8 || set.hasLrFolder()) {
      throw new IllegalArgumentException("the comparison synthesises LR from 8-bit RGB");
    }
    List<Integer> rows = new ArrayList<>();
    if (imageNames.isEmpty()) {
      for (int i = 0; i < Math.min(count, set.size()); i++) {
        rows.add(i);
      }
    } else {
      for (String name : imageNames) {
        int i = set.names().indexOf(name);
        if (i < 0) {
          throw new BadInputException("--images: no image '" + name + "' in " + set.hrDir() + " (it has "
              + set.names() + ")");
        }
        rows.add(i);
      }
    }
    List<String> columns = new ArrayList<>(List.of("HR"));
    columns.addAll(labels);
    List<String> names = new ArrayList<>();
    List<List<Image>> grid = new ArrayList<>();
    for (int i : rows) {
      PairedSample sample = set.load(i);
      List<Image> row = new ArrayList<>(List.of(centre(sample.hr(), cropPx)));
      for (Upscaler m : models) {
        if (m.scale() != set.scale()) {
          throw new BadInputException("model " + m.name() + " upscales x" + m.scale() + ", the set is paired for x"
              + set.scale());
        }
        row.add(centre(m.upscale(sample.lr()), cropPx));
      }
      names.add(sample.name());
      grid.add(row);
    }
    CropGrid.write(file, columns, names, grid, cropPx);
  }

  /** The centre {@code cropPx} square (or less when smaller), as {@link CropGrid} places it. */
  private static Image centre(Image image, int cropPx) {
    int w = Math.min(cropPx, image.width());
    int h = Math.min(cropPx, image.height());
    return image.crop((image.width() - w) / 2, (image.height() - h) / 2, w, h);
  }
}
