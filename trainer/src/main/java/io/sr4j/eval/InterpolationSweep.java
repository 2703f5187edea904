package io.sr4j.eval;

import io.sr4j.ckpt.Checkpoint;
import io.sr4j.ckpt.ModelCard;
import io.sr4j.ckpt.NetworkInterpolation;
import io.sr4j.data.image.Image;
import io.sr4j.data.metrics.FidelityProtocol;
import io.sr4j.data.metrics.MetricChannel;
import io.sr4j.data.metrics.Niqe;
import io.sr4j.data.metrics.QualityScore;
import io.sr4j.data.pairs.PairedFolder;
import io.sr4j.data.pairs.PairedSample;
import io.sr4j.infer.Interpolation;
import io.sr4j.infer.NetworkUpscaler;
import io.sr4j.infer.Upscaler;
import io.sr4j.data.resize.ResizeKernel;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The perception-distortion trade-off of an interpolation: for each alpha, the interpolated generator's mean PSNR,
 * SSIM (paper protocol) and NIQE on a set, plus the SR images of the first few samples for a picture grid.
 */
public final class InterpolationSweep {
  private InterpolationSweep() {}

  /** One alpha's means; {@code alpha} keeps the exact decimal the user gave. */
  public record Row(String alpha, double psnr, double ssim, double niqe) {}

  /** The table, and for the grid: per shown sample its HR, bicubic and one SR per alpha. */
  public record Result(List<Row> rows, List<String> names, List<Image> hr, List<Image> bicubic, List<List<Image>> sr) {}

  /** "0:1:0.1" to 0, 0.1, ..., 1 as exact decimals (both ends included). */
  public static List<BigDecimal> alphas(String spec) {
    String[] p = spec.split(":");
    if (p.length != 3) {
      throw new io.sr4j.data.BadInputException("--sweep " + spec + ": expected start:stop:step, e.g. 0:1:0.1");
    }
    BigDecimal start;
    BigDecimal stop;
    BigDecimal step;
    try {
      start = new BigDecimal(p[0]);
      stop = new BigDecimal(p[1]);
      step = new BigDecimal(p[2]);
    } catch (NumberFormatException e) {
      throw new io.sr4j.data.BadInputException("--sweep " + spec + ": expected numbers start:stop:step");
    }
    if (step.signum() <= 0 || stop.compareTo(start) < 0) {
      throw new io.sr4j.data.BadInputException("--sweep " + spec + ": expected start <= stop and a step > 0");
    }
    List<BigDecimal> out = new ArrayList<>();
    for (BigDecimal a = start; a.compareTo(stop) <= 0 && out.size() <= 1000; a = a.add(step)) {
      out.add(a.stripTrailingZeros().scale() < 0 ? a.setScale(0) : a.stripTrailingZeros());
    }
    return out;
  }

  /** NIQE, or NaN where it is undefined (a nearly flat output has too few textured blocks). */
  public static double niqeOrNaN(Niqe niqe, Image image, int cropPx) {
    try {
      return niqe.score(image, cropPx);
    } catch (IllegalArgumentException e) {
      return Double.NaN;
    }
  }

  public static Result run(Checkpoint.Loaded a, Checkpoint.Loaded b, List<BigDecimal> alphas, PairedFolder set,
      MetricChannel channel, int shown) {
    ModelCard card = a.card();
    FidelityProtocol protocol = new FidelityProtocol(channel, set.scale());
    Niqe niqe = Niqe.standard();
    List<PairedSample> samples = new ArrayList<>();
    for (int i = 0; i < set.size(); i++) {
      samples.add(set.load(i));
    }
    List<String> names = new ArrayList<>();
    List<Image> hr = new ArrayList<>();
    List<Image> bicubic = new ArrayList<>();
    List<List<Image>> sr = new ArrayList<>();
    Upscaler bic = new Interpolation(ResizeKernel.BICUBIC, set.scale(), set.synthesis().resizeBorder());
    for (int i = 0; i < Math.min(shown, samples.size()); i++) {
      names.add(samples.get(i).name());
      hr.add(samples.get(i).hr());
      bicubic.add(bic.upscale(samples.get(i).lr()));
      sr.add(new ArrayList<>());
    }
    List<Row> rows = new ArrayList<>();
    for (BigDecimal alpha : alphas) {
      var net = NetworkInterpolation.interpolate(a.network(), b.network(), alpha.doubleValue());
      Upscaler up = new NetworkUpscaler(net, card, "alpha " + alpha.toPlainString())
          .withResizeBorder(set.synthesis().resizeBorder());
      double psnr = 0;
      double ssim = 0;
      double n = 0;
      for (int i = 0; i < samples.size(); i++) {
        PairedSample s = samples.get(i);
        Image out = up.upscale(s.lr());
        Image ref = out.channels() == 3 && s.hr().isGray() ? s.hr().toRgb() : s.hr();
        QualityScore q = protocol.measure(out, ref);
        psnr += q.psnr();
        ssim += q.ssim();
        n += niqeOrNaN(niqe, out, set.scale());
        if (i < sr.size()) {
          sr.get(i).add(out);
        }
      }
      int count = samples.size();
      rows.add(new Row(alpha.toPlainString(), psnr / count, ssim / count, n / count));
    }
    return new Result(rows, names, hr, bicubic, sr);
  }
}
