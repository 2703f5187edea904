package io.sr4j.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sr4j.data.BadInputException;
import io.sr4j.data.image.Image;
import io.sr4j.data.metrics.MetricChannel;
import io.sr4j.data.pairs.BundledData;
import io.sr4j.data.pairs.LrSynthesis;
import io.sr4j.data.pairs.PairedFolder;
import io.sr4j.data.pairs.PairedSample;
import io.sr4j.eval.EvaluationReport;
import io.sr4j.eval.Metric;
import io.sr4j.eval.Metrics;
import io.sr4j.eval.Scoring;
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
 * code {@code sr evaluate} runs ({@link PairedFolder}, {@link Scoring#scoreSample}); the driver then takes the means
 * in the set's order with {@link Scoring#means}, as {@code sr evaluate} does, so the numbers are the same to the last
 * bit. {@code OUTPUT/evaluation.json} is what {@code sr evaluate --json} writes.
 */
final class EvaluateJob {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** Paired folders (HR + LR), listed once per executor. */
  private static final Map<List<Object>, PairedFolder> PAIRED = new ConcurrentHashMap<>();

  private EvaluateJob() {}

  /**
   * @param hr folder of HR images (any file system) or a bundled set name
   * @param lr folder of LR partners (DIV2K naming) on the local or a mounted file system, or null to synthesise
   * @param synthesis how LR images are synthesised; null for {@code auto} ({@link Scoring#paperSynthesis}, decided on
   *     the driver)
   * @param borderPx pixels cropped from every side, or -1 for the scale
   * @param metrics metric names as {@code sr evaluate --metrics} takes them
   * @param maxShiftPx largest shift of psnr_shift
   * @param save folder for the SR outputs, or null
   * @param output folder for manifest.jsonl and evaluation.json
   */
  record Options(Models.ModelSpec model, int scale, String hr, String lr, MetricChannel channel, int borderPx,
      LrSynthesis synthesis, List<String> metrics, int maxShiftPx, String save, String output, int partitions) {}

  /** What a run measured. */
  record Outcome(ItemRunner.Run run, EvaluationReport report) {}

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
        "channel=" + channel, "border=" + borderPx, "synthesis=" + o.synthesis(), "metrics=" + o.metrics(),
        "max_shift=" + o.maxShiftPx(), "save=" + saveDir);
    List<String> names = List.copyOf(o.metrics());
    int maxShift = o.maxShiftPx();
    Map<String, Metric> driverMetrics = Metrics.named(names, channel, borderPx, maxShift); // bad names fail here
    LrSynthesis synthesis = o.synthesis() != null ? o.synthesis() : autoSynthesis(model, driverMetrics);
    String hrPaired = hrLocal == null ? null : hrLocal.toString();
    String lrPaired = lrLocal == null ? null : lrLocal.toString();
    ItemRunner.Work work = item -> {
      Upscaler borrowed = ModelPool.borrow(model);
      Map<String, Metric> metrics = Metrics.named(names, channel, borderPx, maxShift);
      try {
        PairedSample sample;
        if (lrPaired == null) {
          Path local = files.localPath(item.source());
          sample = PairedFolder.synthesize(item.name(), files.readImage(item.source()), scale, synthesis,
              local != null ? local : Path.of(item.source()));
        } else {
          sample = PAIRED.computeIfAbsent(List.of(hrPaired, lrPaired, scale),
              k -> PairedFolder.withLrFolder(Path.of(hrPaired), Path.of(lrPaired), scale)).load(item.index());
        }
        Image[] sr = new Image[1];
        Scoring.ImageScores score;
        try {
          score = Scoring.scoreSample(Scoring.pipeline(borrowed, lrPaired == null ? synthesis : LrSynthesis.RGB8), sample,
              metrics, (s, out, scores) -> sr[0] = out);
        } catch (IllegalArgumentException e) {
          throw new BadInputException(item.source() + ": cannot score the SR output (" + e.getMessage() + ")", e);
        }
        List<OutputFile> outputs = saveDir == null ? List.of()
            : List.of(files.writeImage(sr[0], HadoopFiles.resolve(saveDir, item.name() + ".png")));
        return new ItemRunner.Result(outputs, new LinkedHashMap<>(score.values()), borrowed.name());
      } finally {
        ModelPool.release(model, borrowed);
      }
    };
    ItemRunner.Run run = ItemRunner.run(sc, files, new Manifest(files, outDir), job, items, work,
        ItemRunner.partitions(sc, o.partitions(), items.size()), log);
    run.requireNoFailures();
    List<Scoring.ImageScores> images = new ArrayList<>();
    for (ManifestEntry e : run.entries()) {
      images.add(new Scoring.ImageScores(e.item(), e.scores()));
    }
    Scoring.Table table = new Scoring.Table(images, Scoring.means(images, names));
    EvaluationReport report = EvaluationReport.of(run.entries().get(0).model(), scale, hrDir,
        lrLocal == null ? null : lrLocal.toString(), synthesis, channel, borderPx, names, table);
    files.writeString(HadoopFiles.resolve(outDir, "evaluation.json"), json(report));
    print(report, log);
    return new Outcome(run, report);
  }

  /** The LR synthesis of {@code sr evaluate --synthesis auto} for this model (opened once on the driver). */
  private static LrSynthesis autoSynthesis(ModelRef model, Map<String, Metric> metrics) {
    Upscaler upscaler = ModelPool.borrow(model);
    try {
      return Scoring.paperSynthesis(upscaler, metrics);
    } finally {
      ModelPool.release(model, upscaler);
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  private static void print(EvaluationReport r, PrintWriter out) {
    out.printf(Locale.ROOT, "%s x%d, %s channel, border %d px%n", r.model(), r.scale(),
        r.channel().toUpperCase(Locale.ROOT), r.border());
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-16s", "image"));
    r.metrics().forEach(m -> header.append(String.format(Locale.ROOT, " %10s", m)));
    out.println(header);
    for (Map<String, Object> image : r.images()) {
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-16s", image.get("name")));
      r.metrics().forEach(m -> row.append(String.format(Locale.ROOT, " %10.4f", ((Number) image.get(m)).doubleValue())));
      out.println(row);
    }
    StringBuilder mean = new StringBuilder(String.format(Locale.ROOT, "%-16s", "mean"));
    r.metrics().forEach(m -> mean.append(String.format(Locale.ROOT, " %10.4f", r.mean().get(m))));
    out.println(mean);
    out.flush();
  }
}
