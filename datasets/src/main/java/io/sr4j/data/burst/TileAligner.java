package io.sr4j.data.burst;

import java.util.ArrayList;
import java.util.List;

/**
 * Aligns frames to a reference by tiles, as Super Res Zoom (after HDR+) does: block matching coarse to fine on a
 * box-filtered pyramid (decimation factors 1, 2, 4, 4 from fine to coarse; tiles T, T, T, T/2; search radii 1, 4,
 * 4, 4 pixels; L1 distance at the finest level, L2 above; each level starts from the coarser level's flow scaled by
 * the factor), then three iterations of inverse-compositional Lucas-Kanade per tile at full resolution
 * (translation only, {@code [-1, 0, 1]/2} gradients; tiles with {@code |det H| < 1e-10} keep the block-matching
 * result). Tiles overlap by half; coarse levels smaller than one of their tiles are not used. Planes should be
 * noise-normalised grey images (see {@link NoiseLevel}).
 *
 * <p>A {@code TileAligner} holds the reference's pyramid and gradients and may align several frames at once.
 */
public final class TileAligner {
  private static final int[] FACTORS = {1, 2, 4, 4};
  private static final double[] TILE_FRACTIONS = {1, 1, 1, 0.5};
  private static final int[] RADII = {1, 4, 4, 4};
  private static final int LK_ITERATIONS = 3;
  private static final double MIN_DET = 1e-10;
  /** A Lucas-Kanade result further than this from the block-matching start is discarded (it diverged). */
  private static final double MAX_LK_CORRECTION_PX = 1.5;

  private final List<Plane> refPyramid;
  private final int[] levelTiles;
  private final float[] refGradX;
  private final float[] refGradY;

  /** Prepares alignment to {@code reference} with finest tiles of {@code tilePx} pixels. */
  public TileAligner(Plane reference, int tilePx) {
    if (tilePx < 2) {
      throw new IllegalArgumentException("tile size must be >= 2 pixels, got " + tilePx);
    }
    this.refPyramid = new ArrayList<>();
    List<Integer> tiles = new ArrayList<>();
    Plane level = reference;
    for (int l = 0; l < FACTORS.length; l++) {
      if (l > 0) {
        level = level.downsample(FACTORS[l]);
      }
      int t = Math.max(2, (int) Math.round(tilePx * TILE_FRACTIONS[l]));
      if (l > 0 && Math.min(level.width(), level.height()) < t) {
        break;
      }
      refPyramid.add(level);
      tiles.add(t);
    }
    this.levelTiles = tiles.stream().mapToInt(Integer::intValue).toArray();
    int w = reference.width();
    int h = reference.height();
    refGradX = new float[w * h];
    refGradY = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        refGradX[y * w + x] = 0.5f * (reference.at(x + 1, y) - reference.at(x - 1, y));
        refGradY[y * w + x] = 0.5f * (reference.at(x, y + 1) - reference.at(x, y - 1));
      }
    }
  }

  /** The flow of {@code frame} (same size as the reference) relative to the reference. */
  public TileFlow align(Plane frame) {
    Plane ref = refPyramid.get(0);
    if (frame.width() != ref.width() || frame.height() != ref.height()) {
      throw new IllegalArgumentException("frame is " + frame.width() + "x" + frame.height()
          + ", the reference " + ref.width() + "x" + ref.height());
    }
    List<Plane> pyramid = new ArrayList<>(List.of(frame));
    for (int l = 1; l < refPyramid.size(); l++) {
      pyramid.add(pyramid.get(l - 1).downsample(FACTORS[l]));
    }
    TileFlow coarser = null;
    for (int l = refPyramid.size() - 1; l >= 0; l--) {
      Plane r = refPyramid.get(l);
      TileFlow flow = TileFlow.zeros(r.width(), r.height(), levelTiles[l]);
      for (int j = 0; j < flow.tilesY(); j++) {
        for (int i = 0; i < flow.tilesX(); i++) {
          int startX = 0;
          int startY = 0;
          if (coarser != null) {
            int f = FACTORS[l + 1];
            double cx = (flow.centre(i) + 0.5) / f - 0.5;
            double cy = (flow.centre(j) + 0.5) / f - 0.5;
            startX = (int) Math.round(coarser.dx(cx, cy) * f);
            startY = (int) Math.round(coarser.dy(cx, cy) * f);
          }
          int[] best = blockMatch(r, pyramid.get(l), i * flow.stepPx(), j * flow.stepPx(), levelTiles[l],
              startX, startY, RADII[l], l == 0);
          flow.dx()[j * flow.tilesX() + i] = best[0];
          flow.dy()[j * flow.tilesX() + i] = best[1];
        }
      }
      coarser = flow;
    }
    refine(coarser, frame);
    return coarser;
  }

  /** The integer displacement within {@code radius} of the start that minimises the L1 or L2 tile distance. */
  private static int[] blockMatch(
      Plane ref, Plane frame, int x0, int y0, int tile, int startX, int startY, int radius, boolean l1) {
    int x1 = Math.min(x0 + tile, ref.width());
    int y1 = Math.min(y0 + tile, ref.height());
    double bestCost = Double.POSITIVE_INFINITY;
    int[] best = {startX, startY};
    for (int dy = startY - radius; dy <= startY + radius; dy++) {
      for (int dx = startX - radius; dx <= startX + radius; dx++) {
        double cost = 0;
        for (int y = y0; y < y1 && cost < bestCost; y++) {
          for (int x = x0; x < x1; x++) {
            double d = frame.at(x + dx, y + dy) - ref.values()[y * ref.width() + x];
            cost += l1 ? Math.abs(d) : d * d;
          }
        }
        // ties keep the displacement closest to the start (scanned first only if it is the start itself)
        boolean tieCloser = cost == bestCost
            && Math.abs(dx - startX) + Math.abs(dy - startY) < Math.abs(best[0] - startX) + Math.abs(best[1] - startY);
        if (cost < bestCost || tieCloser) {
          bestCost = cost;
          best = new int[] {dx, dy};
        }
      }
    }
    return best;
  }

  /**
   * Inverse-compositional Lucas-Kanade (translation) on every tile of the finest level, in place. Pixels whose
   * displaced position falls outside the frame are left out (their content is not in the frame).
   */
  private void refine(TileFlow flow, Plane frame) {
    Plane ref = refPyramid.get(0);
    int w = ref.width();
    int h = ref.height();
    for (int j = 0; j < flow.tilesY(); j++) {
      for (int i = 0; i < flow.tilesX(); i++) {
        int x0 = i * flow.stepPx();
        int y0 = j * flow.stepPx();
        int x1 = Math.min(x0 + flow.tilePx(), w);
        int y1 = Math.min(y0 + flow.tilePx(), h);
        int k = j * flow.tilesX() + i;
        double startX = flow.dx()[k];
        double startY = flow.dy()[k];
        double fx = startX;
        double fy = startY;
        boolean solved = false;
        for (int it = 0; it < LK_ITERATIONS; it++) {
          double hxx = 0;
          double hxy = 0;
          double hyy = 0;
          double bx = 0;
          double by = 0;
          for (int y = y0; y < y1; y++) {
            double qy = y + fy;
            if (qy < 0 || qy > h - 1) {
              continue;
            }
            for (int x = x0; x < x1; x++) {
              double qx = x + fx;
              if (qx < 0 || qx > w - 1) {
                continue;
              }
              double gx = refGradX[y * w + x];
              double gy = refGradY[y * w + x];
              double e = frame.bilinear(qx, qy) - ref.values()[y * w + x];
              hxx += gx * gx;
              hxy += gx * gy;
              hyy += gy * gy;
              bx += gx * e;
              by += gy * e;
            }
          }
          double det = hxx * hyy - hxy * hxy;
          if (Math.abs(det) < MIN_DET) {
            break;
          }
          fx -= (hyy * bx - hxy * by) / det;
          fy -= (hxx * by - hxy * bx) / det;
          solved = true;
        }
        if (solved && Math.hypot(fx - startX, fy - startY) <= MAX_LK_CORRECTION_PX) {
          flow.dx()[k] = (float) fx;
          flow.dy()[k] = (float) fy;
        }
      }
    }
  }
}
