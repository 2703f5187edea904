package io.sr4j.data.burst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Alignment recovers known global shifts of a textured, noise-free image. */
class AlignmentTest {
  private static final int W = 128;
  private static final int H = 96;
  private static final Textures TEXTURE = new Textures(3, 24, 0.02, 0.2);

  /**
   * Mean end-point error of a flow against a constant shift, over the tiles whose displaced square lies inside
   * the frame (the content of the others is partly not in the frame).
   */
  private static double epe(TileFlow flow, double dx, double dy) {
    double sum = 0;
    int n = 0;
    for (int j = 0; j < flow.tilesY(); j++) {
      for (int i = 0; i < flow.tilesX(); i++) {
        int x0 = i * flow.stepPx();
        int y0 = j * flow.stepPx();
        if (x0 + dx < 0 || y0 + dy < 0 || x0 + flow.tilePx() + dx > W || y0 + flow.tilePx() + dy > H) {
          continue;
        }
        sum += Math.hypot(flow.dx()[j * flow.tilesX() + i] - dx, flow.dy()[j * flow.tilesX() + i] - dy);
        n++;
      }
    }
    assertTrue(n >= 20, "only " + n + " tiles inside the frame");
    return sum / n;
  }

  @Test
  void tileAlignmentRecoversIntegerAndSubPixelShifts() {
    Plane ref = TEXTURE.plane(W, H, 0, 0);
    TileAligner aligner = new TileAligner(ref, 16);
    for (double[] shift : List.of(new double[] {3, -2}, new double[] {-1, 0}, new double[] {1.37, -0.62},
        new double[] {-0.25, 0.5}, new double[] {6.6, 4.3})) {
      TileFlow flow = aligner.align(TEXTURE.plane(W, H, shift[0], shift[1]));
      double e = epe(flow, shift[0], shift[1]);
      assertTrue(e < 0.1, "end-point error " + e + " px for shift (" + shift[0] + ", " + shift[1] + ")");
    }
  }

  @Test
  void identicalFramesHaveZeroFlow() {
    Plane ref = TEXTURE.plane(W, H, 0, 0);
    TileFlow flow = new TileAligner(ref, 16).align(ref);
    assertEquals(0, epe(flow, 0, 0), 1e-6);
  }

  /** Phase correlation needs a broad spectrum (whitening amplifies empty frequencies): many sinusoids. */
  @Test
  void phaseCorrelationRecoversGlobalShifts() {
    Textures broadband = new Textures(5, 300, 0.01, 0.3);
    Plane ref = broadband.plane(W, H, 0, 0);
    RigidMotion integer = PhaseCorrelation.shift(ref, broadband.plane(W, H, 5, -3));
    assertEquals(5, integer.shiftX(), 0.05);
    assertEquals(-3, integer.shiftY(), 0.05);
    RigidMotion sub = PhaseCorrelation.shift(ref, broadband.plane(W, H, 1.4, -0.7));
    assertTrue(Math.hypot(sub.shiftX() - 1.4, sub.shiftY() + 0.7) < 0.1, sub.toString());
  }
}
