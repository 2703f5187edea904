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

  /**
   * Scores one SR output against its sample's HR image; {@code hrSource} names the HR file in errors. This is the
   * per-image step of {@link #evaluate}, for callers that run the images elsewhere (one Spark task per image).
   */
  public static ImageScore score(PairedSample sample, Image sr, FidelityProtocol protocol, String hrSource) {
    // RGB networks turn gray inputs into RGB; their reference is then the gray image as RGB (as BasicSR reads it)
    Image hr = sr.channels() == 3 && sample.hr().isGray() ? sample.hr().toRgb() : sample.hr();
    QualityScore q;
    try {
      q = protocol.measure(sr, hr);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(hrSource + ": cannot score the SR output (" + e.getMessage() + ")", e);
    }
    return new ImageScore(sample.name(), q.psnr(), q.ssim());
  }

  public static Report evaluate(Upscaler upscaler, PairedFolder set, FidelityProtocol protocol, Listener listener) {
    if (upscaler.scale() != set.scale()) {
      throw new BadInputException("model " + upscaler.name() + " upscales x" + upscaler.scale()
          + " but the set is paired for x" + set.scale());
    }
    List<ImageScore> scores = new ArrayList<>(set.size());
    double psnrSum = 0;
    double ssimSum = 0;
    for (int i = 0; i < set.size(); i++) {
      PairedSample sample = set.load(i);
      Image sr = upscaler.upscale(sample.lr());
      ImageScore score = score(sample, sr, protocol, set.hrFile(i).toString());
      scores.add(score);
      psnrSum += score.psnr();
      ssimSum += score.ssim();
      listener.imageDone(sample, sr, score);
    }
    Mean mean = new Mean(psnrSum / scores.size(), ssimSum / scores.size());
    return new Report(upscaler.name(), set.scale(), protocol.channel().configName(), protocol.borderPx(), scores, mean);
  }
}
