package io.sr4j.eval;

import io.sr4j.data.color.Quantize;
import io.sr4j.data.image.Image;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * LPIPS (Zhang et al. 2018, v0.1; lower is more similar) of the SR output, rounded to 8 bits as it is saved, against
 * the HR image, both with {@code borderPx} cropped from every side; gray images are compared as RGB. {@code lpips}
 * gives the network when the first image is scored ({@link #fromZoo}: the zoo's weights, loaded once per process).
 */
public record LpipsMetric(String name, Supplier<Lpips> lpips, int borderPx) implements Metric {
  private static final Map<Lpips.Network, Lpips> LOADED = new EnumMap<>(Lpips.Network.class);

  /** LPIPS of {@code network} with the zoo's weights (a missing download fails, when first used, with its command). */
  public static LpipsMetric fromZoo(String name, Lpips.Network network, int borderPx) {
    return new LpipsMetric(name, () -> loaded(network), borderPx);
  }

  private static synchronized Lpips loaded(Lpips.Network network) {
    return LOADED.computeIfAbsent(network, Lpips::fromZoo);
  }

  @Override
  public boolean higherIsBetter() {
    return false;
  }

  @Override
  public double score(Image sr, Image reference) {
    float[][] rounded = new float[sr.channels()][];
    for (int c = 0; c < rounded.length; c++) {
      rounded[c] = Quantize.snapToUint8(sr.plane(c));
    }
    Image out = sr.withPlanes(rounded);
    int w = sr.width() - 2 * borderPx;
    int h = sr.height() - 2 * borderPx;
    if (w <= 0 || h <= 0) {
      throw new IllegalArgumentException("border " + borderPx + " leaves nothing of a " + sr.width() + "x"
          + sr.height() + " image");
    }
    return lpips.get().distance(out.crop(borderPx, borderPx, w, h), reference.crop(borderPx, borderPx, w, h));
  }
}
