package io.sr4j.eval;

import io.sr4j.data.BadInputException;
import io.sr4j.data.image.Image;
import io.sr4j.data.metrics.FidelityProtocol;
import io.sr4j.data.metrics.MetricChannel;
import io.sr4j.data.metrics.QualityScore;
import io.sr4j.data.pairs.LrSynthesis;
import io.sr4j.data.pairs.PairedFolder;
import io.sr4j.data.pairs.PairedSample;
import io.sr4j.infer.Upscaler;
import java.util.ArrayList;
import java.util.List;

/** Runs an {@link Upscaler} over a paired set and scores every image with a {@link FidelityProtocol}. */
public final class Evaluator {
  private Evaluator() {}

  /** Scores of one image. */
  public record ImageScore(String name, double psnr, double ssim) {}

  /** Mean scores over a set. */
  public record Mean(double psnr, double ssim) {}

  /** A whole evaluation; its JSON form is what {@code sr evaluate --json} writes. */
  public record Report(String model, int scale, String channel, int border, List<ImageScore> images, Mean mean) {}

  /** Called after each image with its sample, the SR output and its score. */
  @FunctionalInterface
  public interface Listener {
    void imageDone(PairedSample sample, Image sr, ImageScore score);
  }

  /**
   * The LR synthesis that reproduces published numbers: the SRCNN release's Y-only pipeline when measuring Y with
   * a model that works on luminance, 8-bit RGB LR images otherwise.
   */
  public static LrSynthesis paperSynthesis(Upscaler upscaler, MetricChannel channel) {
    return channel == MetricChannel.Y && upscaler.worksOnLuma() ? LrSynthesis.LUMA : LrSynthesis.RGB8;
  }

  public static Report evaluate(Upscaler upscaler, PairedFolder set, FidelityProtocol protocol, Listener listener) {
    if (upscaler.scale() != set.scale()) {
      throw new BadInputException("model " + upscaler.name() + " upscales x" + upscaler.scale()
          + " but the set is paired for x" + set.scale());
    }
    Upscaler pipeline = upscaler.withResizeBorder(set.synthesis().resizeBorder());
    List<ImageScore> scores = new ArrayList<>(set.size());
    double psnrSum = 0;
    double ssimSum = 0;
    for (int i = 0; i < set.size(); i++) {
      PairedSample sample = set.load(i);
      Image sr = pipeline.upscale(sample.lr());
      // RGB networks turn gray inputs into RGB; their reference is then the gray image as RGB (as BasicSR reads it)
      Image hr = sr.channels() == 3 && sample.hr().isGray() ? sample.hr().toRgb() : sample.hr();
      QualityScore q;
      try {
        q = protocol.measure(sr, hr);
      } catch (IllegalArgumentException e) {
        throw new BadInputException(set.hrFile(i) + ": cannot score the SR output (" + e.getMessage() + ")", e);
      }
      ImageScore score = new ImageScore(sample.name(), q.psnr(), q.ssim());
      scores.add(score);
      psnrSum += q.psnr();
      ssimSum += q.ssim();
      listener.imageDone(sample, sr, score);
    }
    Mean mean = new Mean(psnrSum / scores.size(), ssimSum / scores.size());
    return new Report(upscaler.name(), set.scale(), protocol.channel().configName(), protocol.borderPx(), scores, mean);
  }
}
