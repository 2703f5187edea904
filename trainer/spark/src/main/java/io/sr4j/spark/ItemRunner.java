package io.sr4j.spark;

import io.sr4j.data.BadInputException;
import io.sr4j.nn.HostBuffers;
import java.io.PrintWriter;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Runs a job's per-item work as Spark tasks, so that a run can be repeated, retried or speculated without harm:
 * every item whose result an earlier run recorded in the manifest (same job fingerprint, outputs still present) is
 * skipped; every other item is processed, its outputs written atomically, and its manifest line flushed as soon as
 * it is done. An item that fails is recorded as failed (its error in the manifest) without stopping the others;
 * running the job again redoes exactly the failed and unfinished items.
 */
final class ItemRunner {
  private static final DateTimeFormatter RUN_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private ItemRunner() {}

  /** An input item: its position in the job's order, its unique name and where it is read from. */
  record Item(int index, String name, String source) implements Serializable {}

  /** What the work on one item produced. */
  record Result(List<OutputFile> outputs, Map<String, Double> scores, String model) implements Serializable {}

  /** The work on one item, run on an executor. */
  @FunctionalInterface
  interface Work extends Serializable {
    Result process(Item item) throws Exception;
  }

  /** An item with the earlier result the manifest holds for it (null if none). */
  private record Task(Item item, ManifestEntry earlier) implements Serializable {}

  /** This run's manifest entries, in item order, and the manifest file. */
  record Run(String id, List<ManifestEntry> entries, String manifestUri) {
    long count(String status) {
      return entries.stream().filter(e -> e.status().equals(status)).count();
    }

    /** Fails, naming the first failed item, when any item failed. */
    void requireNoFailures() {
      entries.stream().filter(e -> e.status().equals(ManifestEntry.FAILED)).findFirst().ifPresent(e -> {
        throw new BadInputException(count(ManifestEntry.FAILED) + " of " + entries.size() + " items failed (first: "
            + e.item() + ": " + e.error() + "); " + manifestUri + " lists them; run the job again to redo them");
      });
    }
  }

  /** Fails when two sources would write the same output file name ({@code output} of the file name). */
  static void requireDistinct(List<String> sources, Function<Path, String> output) {
    Map<String, String> seen = new HashMap<>();
    for (String source : sources) {
      String name = output.apply(Path.of(HadoopFiles.fileName(source)));
      String before = seen.putIfAbsent(name, source);
      if (before != null) {
        throw new BadInputException(source + " and " + before + " would both be written as " + name
            + "; rename one of them");
      }
    }
  }

  /** Items named by their file names without extension, in the order of {@code sources}. */
  static List<Item> itemsByStem(List<String> sources) {
    List<Item> items = new ArrayList<>(sources.size());
    for (String source : sources) {
      items.add(new Item(items.size(), io.sr4j.data.image.ImageFiles.stem(Path.of(HadoopFiles.fileName(source))), source));
    }
    return items;
  }

  /** SHA-256 (hex, first 16 digits) of the lines that decide a job's results: its manifest fingerprint. */
  static String fingerprint(String... lines) {
    byte[] digest = HadoopFiles.sha256().digest(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest).substring(0, 16);
  }

  /** Tasks for {@code items}: the {@code requested} number, else one per 8 items and at least one per core. */
  static int partitions(JavaSparkContext sc, int requested, int items) {
    return requested > 0 ? requested : Math.max(sc.defaultParallelism(), (items + 7) / 8);
  }

  /**
   * Processes {@code items} in {@code partitions} tasks. {@code job} is the fingerprint of everything that decides
   * an item's result; {@code log} gets one line about the run's outcome.
   */
  static Run run(JavaSparkContext sc, HadoopFiles files, Manifest manifest, String job, List<Item> items, Work work,
      int partitions, PrintWriter log) {
    Manifest.History history = manifest.read();
    if (history.unreadableLines() > 0) {
      log.printf(Locale.ROOT, "%s: ignored %d unreadable line(s) (their items are done again)%n", manifest.fileUri(),
          history.unreadableLines());
    }
    Map<String, ManifestEntry> finished = history.finished(job);
    List<Task> tasks = items.stream().map(i -> new Task(i, finished.get(i.name()))).toList();
    String run = RUN_ID.format(Instant.now()) + "-" + HexFormat.of().toHexDigits((short) new java.util.Random().nextInt());
    List<ManifestEntry> entries = new ArrayList<>(sc.parallelize(tasks, Math.max(1, Math.min(partitions, tasks.size())))
        .mapPartitionsWithIndex((partition, it) -> {
          HostBuffers.install();
          TaskContext task = TaskContext.get();
          List<ManifestEntry> out = new ArrayList<>();
          try (HadoopFiles.LineAppender part = files.appender(manifest.partUri(run, partition, task.attemptNumber()))) {
            while (it.hasNext()) {
              ManifestEntry e = process(it.next(), run, job, files, work, task);
              part.append(Manifest.toJson(e));
              out.add(e);
            }
          }
          return out.iterator();
        }, false).collect());
    Map<String, Integer> order = new HashMap<>();
    items.forEach(i -> order.put(i.name(), i.index()));
    entries.sort(Comparator.comparingInt(e -> order.get(e.item())));
    manifest.commit(history, run, entries);
    Run result = new Run(run, entries, manifest.fileUri());
    log.printf(Locale.ROOT, "run %s: %d done, %d skipped (done before), %d failed; manifest %s%n", run,
        result.count(ManifestEntry.DONE), result.count(ManifestEntry.SKIPPED), result.count(ManifestEntry.FAILED),
        manifest.fileUri());
    return result;
  }

  private static ManifestEntry process(Task t, String run, String job, HadoopFiles files, Work work, TaskContext task) {
    String executor = SparkEnv.get().executorId();
    Item item = t.item();
    ManifestEntry earlier = t.earlier();
    if (earlier != null && earlier.outputs().stream().allMatch(o -> files.exists(o.uri()))) {
      return new ManifestEntry(run, job, item.name(), item.source(), ManifestEntry.SKIPPED, earlier.outputs(),
          earlier.scores(), earlier.model(), 0, Instant.now().toString(), executor, task.attemptNumber(), null);
    }
    long start = System.nanoTime();
    try {
      Result r = work.process(item);
      return new ManifestEntry(run, job, item.name(), item.source(), ManifestEntry.DONE, r.outputs(), r.scores(),
          r.model(), (System.nanoTime() - start) / 1e9, Instant.now().toString(), executor, task.attemptNumber(), null);
    } catch (Exception e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return new ManifestEntry(run, job, item.name(), item.source(), ManifestEntry.FAILED, List.of(), Map.of(), null,
          (System.nanoTime() - start) / 1e9, Instant.now().toString(), executor, task.attemptNumber(), message);
    }
  }
}
