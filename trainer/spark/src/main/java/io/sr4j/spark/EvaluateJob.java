package io.sr4j.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sr4j.data.BadInputException;
import io.sr4j.data.image.Image;
import io.sr4j.data.metrics.FidelityProtocol;
import io.sr4j.data.metrics.MetricChannel;
import io.sr4j.data.metrics.Niqe;
import io.sr4j.data.pairs.BundledData;
import io.sr4j.data.pairs.LrSynthesis;
import io.sr4j.data.pairs.PairedFolder;
import io.sr4j.data.pairs.PairedSample;
import io.sr4j.eval.Evaluator;
import io.sr4j.eval.InterpolationSweep;
import io.sr4j.infer.Models;
import io.sr4j.infer.Upscaler;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code sr evaluate} of a large set as a Spark job. Every image is read, given its LR partner and scored by the
 * code {@code sr evaluate} runs ({@link PairedFolder}, {@link Evaluator#score}); the driver then takes the means in
 * the set's order exactly as {@link Evaluator#evaluate} does, so the numbers are the same to the last bit.
 * {@code OUTPUT/evaluation.json} is what {@code sr evaluate --json} writes; with NIQE, {@code OUTPUT/niqe.json}
 * holds the NIQE of every SR output (border cropped) and their mean.
 */
final class EvaluateJob {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** Paired folders (HR + LR), listed once per executor. */
  private static final Map<List<Object>, PairedFolder> PAIRED = new ConcurrentHashMap<>();

  private EvaluateJob() {}

  /**
   * @param hr folder of HR images (any file system) or a bundled set name
   * @param lr folder of LR partners (DIV2K naming) on the local or a mounted file system, or null to synthesise
   * @param synthesis how LR images are synthesised; null for {@code auto} (see {@link Evaluator#paperSynthesis})
   * @param borderPx pixels cropped from every side, or -1 for the scale
   * @param save folder for the SR outputs, or null
   * @param output folder for manifest.jsonl, evaluation.json and niqe.json
   */
  record Options(Models.ModelSpec model, int scale, String hr, String lr, MetricChannel channel, int borderPx,
      LrSynthesis synthesis, boolean niqe, String save, String output, int partitions) {}

  /** NIQE of one SR output; the report of all. */
  record NiqeScore(String name, double niqe) {}

  record NiqeReport(int crop, List<NiqeScore> images, double mean) {}

  /** What a run measured (niqe null unless asked). */
  record Outcome(ItemRunner.Run run, Evaluator.Report report, NiqeReport niqe) {}

  static Outcome run(JavaSparkContext sc, Options o, PrintWriter log) {
    HadoopFiles files = new HadoopFiles(sc.hadoopConfiguration());
    int scale = o.scale();
    int borderPx = o.borderPx() < 0 ? scale : o.borderPx();
    MetricChannel channel = o.channel();
    String hrDir = files.isDirectory(files.qualify(o.hr())) ? files.qualify(o.hr())
        : files.qualify(BundledData.resolveHrFolder(o.hr()).toAbsolutePath().toString());
    List<ItemRunner.Item> items = new ArrayList<>();
    Path hrLocal = null;
    Path lrLocal = null;
    if (o.lr() == null) {
      items.addAll(ItemRunner.itemsByStem(files.listImages(hrDir)));
    } else {
      hrLocal = files.localPath(hrDir);
      lrLocal = files.localPath(files.qualify(o.lr()));
      if (hrLocal == null || lrLocal == null) {
        throw new BadInputException((hrLocal == null ? hrDir : o.lr()) + ": with --lr, the HR and LR folders must be "
            + "on the local (or a mounted) file system of the driver and executors; without --lr, LR images are "
            + "synthesised and the HR folder may be any Hadoop URI");
      }
      PairedFolder set = PairedFolder.withLrFolder(hrLocal, lrLocal, scale);
      for (int i = 0; i < set.size(); i++) {
        items.add(new ItemRunner.Item(i, set.names().get(i), files.qualify(set.hrFile(i).toString())));
      }
    }
    String saveDir = o.save() == null ? null : files.qualify(o.save());
    String outDir = files.qualify(o.output());
    ModelRef model = ModelRef.ship(sc, files, o.model(), scale);
    String job = ItemRunner.fingerprint("evaluate", model.describe(), "hr=" + hrDir, "lr=" + lrLocal,
        "channel=" + channel, "border=" + borderPx, "synthesis=" + o.synthesis(), "niqe=" + o.niqe(), "save=" + saveDir);
    LrSynthesis synthesis = o.synthesis();
    boolean withNiqe = o.niqe();
    String hrPaired = hrLocal == null ? null : hrLocal.toString();
    String lrPaired = lrLocal == null ? null : lrLocal.toString();
    ItemRunner.Work work = item -> {
      Upscaler upscaler = ModelPool.borrow(model);
      try {
        PairedSample sample;
        if (lrPaired == null) {
          Path local = files.localPath(item.source());
          LrSynthesis how = synthesis != null ? synthesis : Evaluator.paperSynthesis(upscaler, channel);
          sample = PairedFolder.synthesize(item.name(), files.readImage(item.source()), scale, how,
              local != null ? local : Path.of(item.source()));
        } else {
          sample = PAIRED.computeIfAbsent(List.of(hrPaired, lrPaired, scale),
              k -> PairedFolder.withLrFolder(Path.of(hrPaired), Path.of(lrPaired), scale)).load(item.index());
        }
        Image sr = upscaler.upscale(sample.lr());
        Evaluator.ImageScore score = Evaluator.score(sample, sr, new FidelityProtocol(channel, borderPx), item.source());
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("psnr", score.psnr());
        scores.put("ssim", score.ssim());
        if (withNiqe) {
          scores.put("niqe", InterpolationSweep.niqeOrNaN(StandardNiqe.INSTANCE, sr, borderPx));
        }
        List<OutputFile> outputs = saveDir == null ? List.of()
            : List.of(files.writeImage(sr, HadoopFiles.resolve(saveDir, item.name() + ".png")));
        return new ItemRunner.Result(outputs, scores, upscaler.name());
      } finally {
        ModelPool.release(model, upscaler);
      }
    };
    ItemRunner.Run run = ItemRunner.run(sc, files, new Manifest(files, outDir), job, items, work,
        ItemRunner.partitions(sc, o.partitions(), items.size()), log);
    run.requireNoFailures();
    Outcome outcome = aggregate(run, scale, channel, borderPx, withNiqe);
    files.writeString(HadoopFiles.resolve(outDir, "evaluation.json"), json(outcome.report()));
    if (outcome.niqe() != null) {
      files.writeString(HadoopFiles.resolve(outDir, "niqe.json"), json(outcome.niqe()));
    }
    print(outcome, log);
    return outcome;
  }

  /** The means of {@link Evaluator#evaluate}: per-image scores summed in the set's order, then divided. */
  private static Outcome aggregate(ItemRunner.Run run, int scale, MetricChannel channel, int borderPx, boolean niqe) {
    List<Evaluator.ImageScore> images = new ArrayList<>();
    List<NiqeScore> niqes = new ArrayList<>();
    double psnrSum = 0;
    double ssimSum = 0;
    double niqeSum = 0;
    for (ManifestEntry e : run.entries()) {
      Evaluator.ImageScore s = new Evaluator.ImageScore(e.item(), e.scores().get("psnr"), e.scores().get("ssim"));
      images.add(s);
      psnrSum += s.psnr();
      ssimSum += s.ssim();
      if (niqe) {
        niqes.add(new NiqeScore(e.item(), e.scores().get("niqe")));
        niqeSum += e.scores().get("niqe");
      }
    }
    int n = images.size();
    Evaluator.Report report = new Evaluator.Report(run.entries().get(0).model(), scale, channel.configName(), borderPx,
        images, new Evaluator.Mean(psnrSum / n, ssimSum / n));
    return new Outcome(run, report, niqe ? new NiqeReport(borderPx, niqes, niqeSum / n) : null);
  }

  /** The NIQE model, loaded once per executor. */
  private static final class StandardNiqe {
    static final Niqe INSTANCE = Niqe.standard();
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  private static void print(Outcome o, PrintWriter out) {
    Evaluator.Report r = o.report();
    out.printf(Locale.ROOT, "%s x%d, %s channel, border %d px%n", r.model(), r.scale(),
        r.channel().toUpperCase(Locale.ROOT), r.border());
    out.printf(Locale.ROOT, "%-16s %10s %8s%s%n", "image", "PSNR (dB)", "SSIM", o.niqe() == null ? "" : "     NIQE");
    for (int i = 0; i < r.images().size(); i++) {
      Evaluator.ImageScore s = r.images().get(i);
      out.printf(Locale.ROOT, "%-16s %10.4f %8.4f%s%n", s.name(), s.psnr(), s.ssim(),
          o.niqe() == null ? "" : String.format(Locale.ROOT, " %8.4f", o.niqe().images().get(i).niqe()));
    }
    out.printf(Locale.ROOT, "%-16s %10.4f %8.4f%s%n", "mean", r.mean().psnr(), r.mean().ssim(),
        o.niqe() == null ? "" : String.format(Locale.ROOT, " %8.4f", o.niqe().mean()));
    out.flush();
  }
}
