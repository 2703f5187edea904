package io.sr4j.eval;

import io.sr4j.data.AtomicFiles;
import io.sr4j.data.BadInputException;
import io.sr4j.data.color.Quantize;
import io.sr4j.data.image.Image;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** A labelled grid of same-position crops: one row per image, one column per version (HR, bicubic, each alpha). */
public final class CropGrid {
  private static final int GAP_PX = 4;
  private static final int LABEL_PX = 18;

  private CropGrid() {}

  /**
   * Writes the grid as PNG: {@code rows.get(r).get(c)} is image r in version c, cropped to its centre
   * {@code cropPx} square (or less when smaller); {@code labels} head the columns, {@code rowNames} the rows.
   */
  public static void write(Path file, List<String> labels, List<String> rowNames, List<List<Image>> rows, int cropPx) {
    int cols = labels.size();
    int nameW = 90;
    int w = nameW + cols * (cropPx + GAP_PX);
    int h = LABEL_PX + rows.size() * (cropPx + GAP_PX);
    BufferedImage canvas = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int c = 0; c < cols; c++) {
      g.drawString(labels.get(c), nameW + c * (cropPx + GAP_PX) + 2, LABEL_PX - 5);
    }
    for (int r = 0; r < rows.size(); r++) {
      int y0 = LABEL_PX + r * (cropPx + GAP_PX);
      g.drawString(rowNames.get(r), 2, y0 + cropPx / 2);
      for (int c = 0; c < cols; c++) {
        paste(canvas, rows.get(r).get(c), nameW + c * (cropPx + GAP_PX), y0, cropPx);
      }
    }
    g.dispose();
    try {
      AtomicFiles.write(file, tmp -> ImageIO.write(canvas, "png", tmp.toFile()));
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot write grid (" + e.getMessage() + ")", e);
    }
  }

  private static void paste(BufferedImage canvas, Image img, int x0, int y0, int cropPx) {
    Image rgb = img.toRgb();
    int cw = Math.min(cropPx, rgb.width());
    int ch = Math.min(cropPx, rgb.height());
    int left = (rgb.width() - cw) / 2;
    int top = (rgb.height() - ch) / 2;
    for (int y = 0; y < ch; y++) {
      for (int x = 0; x < cw; x++) {
        int r = Quantize.toUint8(rgb.get(0, left + x, top + y));
        int gr = Quantize.toUint8(rgb.get(1, left + x, top + y));
        int b = Quantize.toUint8(rgb.get(2, left + x, top + y));
        canvas.setRGB(x0 + x, y0 + y, (r << 16) | (gr << 8) | b);
      }
    }
  }
}
