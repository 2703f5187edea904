package io.sr4j.eval;

import io.sr4j.ckpt.Checkpoint;
import io.sr4j.ckpt.ModelCard;
import io.sr4j.ckpt.NetworkInterpolation;
import io.sr4j.data.BadInputException;
import io.sr4j.data.image.Image;
import io.sr4j.data.metrics.MetricChannel;
import io.sr4j.data.pairs.PairedFolder;
import io.sr4j.data.resize.ResizeKernel;
import io.sr4j.infer.Interpolation;
import io.sr4j.infer.NetworkUpscaler;
import io.sr4j.infer.Upscaler;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The perception-distortion trade-off of an interpolation: for each alpha, the interpolated generator's mean metrics
 * on a set (PSNR, SSIM, NIQE by default; LPIPS and the others on request), scored by {@link Scoring}, plus the SR
 * images of the first few samples for a picture grid.
 */
public final class InterpolationSweep {
  private InterpolationSweep() {}

  /** One alpha's means by metric; {@code alpha} keeps the exact decimal the user gave. */
  public record Row(String alpha, Map<String, Double> means) {}

  /** The table, and for the grid: per shown sample its HR, bicubic and one SR per alpha. */
  public record Result(List<Row> rows, List<String> names, List<Image> hr, List<Image> bicubic, List<List<Image>> sr,
      int scale) {}

  /** "0:1:0.1" to 0, 0.1, ..., 1 as exact decimals (both ends included). */
  public static List<BigDecimal> alphas(String spec) {
    String[] p = spec.split(":");
    if (p.length != 3) {
      throw new BadInputException("--sweep " + spec + ": expected start:stop:step, e.g. 0:1:0.1");
    }
    BigDecimal start;
    BigDecimal stop;
    BigDecimal step;
    try {
      start = new BigDecimal(p[0]);
      stop = new BigDecimal(p[1]);
      step = new BigDecimal(p[2]);
    } catch (NumberFormatException e) {
      throw new BadInputException("--sweep " + spec + ": expected numbers start:stop:step");
    }
    if (step.signum() <= 0 || stop.compareTo(start) < 0) {
      throw new BadInputException("--sweep " + spec + ": expected start <= stop and a step > 0");
    }
    List<BigDecimal> out = new ArrayList<>();
    for (BigDecimal a = start; a.compareTo(stop) <= 0 && out.size() <= 1000; a = a.add(step)) {
      out.add(a.stripTrailingZeros().scale() < 0 ? a.setScale(0) : a.stripTrailingZeros());
    }
    return out;
  }

  /**
   * Sweeps {@code alphas} on the set {@code hr} (a folder or bundled set name; LR made as {@link Scoring} says; images
   * above {@code maxPixels} refused).
   */
  public static Result run(Checkpoint.Loaded a, Checkpoint.Loaded b, List<BigDecimal> alphas, String hr,
      MetricChannel channel, List<String> metricNames, int shown, long maxPixels) {
    ModelCard card = a.card();
    Map<String, Metric> metrics = Metrics.named(metricNames, channel, card.scale(), 4);
    PairedFolder set = Scoring.pairedSet(hr, null, card.scale(),
        Scoring.paperSynthesis(new NetworkUpscaler(a.network(), card, "A"), metrics)).withMaxPixels(maxPixels);
    List<String> names = new ArrayList<>();
    List<Image> hrImages = new ArrayList<>();
    List<Image> bicubic = new ArrayList<>();
    List<List<Image>> sr = new ArrayList<>();
    Upscaler bic = Scoring.pipeline(new Interpolation(ResizeKernel.BICUBIC, set.scale()), set.synthesis());
    for (int i = 0; i < Math.min(shown, set.size()); i++) {
      var s = set.load(i);
      names.add(s.name());
      hrImages.add(s.hr());
      bicubic.add(bic.upscale(s.lr()));
      sr.add(new ArrayList<>());
    }
    List<Row> rows = new ArrayList<>();
    for (BigDecimal alpha : alphas) {
      var net = NetworkInterpolation.interpolate(a.network(), b.network(), alpha.doubleValue());
      Upscaler up = new NetworkUpscaler(net, card, "alpha " + alpha.toPlainString());
      Scoring.Table t = Scoring.score(up, set, metrics, (sample, out, scores) -> {
        int i = names.indexOf(sample.name());
        if (i >= 0) {
          sr.get(i).add(out);
        }
      });
      rows.add(new Row(alpha.toPlainString(), t.means()));
    }
    return new Result(rows, names, hrImages, bicubic, sr, set.scale());
  }
}
