package io.sr4j.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sr4j.data.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Everything a report shows of one run folder ({@code experiments/<name>/}), read from what the trainer writes:
 * {@code config.yml}, {@code metrics.jsonl}, {@code status.json}, {@code train.log}, {@code visualization/},
 * {@code validation/} and {@code checkpoints/}. Any of them may be missing (an older run, a run that just started):
 * what is missing is derived from the others where possible, and what cannot be read is named in {@link #notes()}.
 *
 * @param state running, finished, stopped or failed (from status.json); without it "finished" when the log ends
 *     with the trainer's closing line, else "unknown"
 * @param metrics validation metrics by name (config {@code val.metrics}, or inferred from the metric keys)
 * @param best the value that decides the best checkpoint, or null before the first validation
 */
public record RunFolder(
    Path dir, String name, String configText, Map<String, Object> config, MetricHistory history, RunStatus status,
    String state, String message, long iteration, Long totalIter, LogExcerpt log, ValidationImages images,
    List<String> sets, Map<String, Metric> metrics, Best best, Duration wallTime, Double peakRssMb,
    List<String> checkpoints, List<String> notes) {

  /** A validation metric: its kind (psnr, ssim, niqe or another name), how it is measured, its direction. */
  public record Metric(String name, String kind, String protocol, boolean higherIsBetter) {}

  /** The best value of {@code key} so far. */
  public record Best(String key, double value, long iteration, boolean higherIsBetter) {}

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern METRIC_KEY = Pattern.compile("(.+)_(psnr|ssim|niqe|lpips)");
  private static final long MAX_CONFIG_BYTES = 1 << 20;

  /** True when {@code dir} holds a run (its config.yml or metrics.jsonl). */
  public static boolean isRun(Path dir) {
    return Files.isRegularFile(dir.resolve("config.yml")) || Files.isRegularFile(dir.resolve("metrics.jsonl"));
  }

  public static RunFolder read(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new BadInputException(dir + ": no such run folder");
    }
    if (!isRun(dir)) {
      throw new BadInputException(dir + ": not a run folder (it has neither config.yml nor metrics.jsonl)");
    }
    List<String> notes = new ArrayList<>();
    String configText = "";
    Map<String, Object> config = Map.of();
    Path configFile = dir.resolve("config.yml");
    try {
      if (Files.isRegularFile(configFile)) {
        if (Files.size(configFile) > MAX_CONFIG_BYTES) {
          notes.add("config.yml is larger than 1 MiB and was not read");
        } else {
          configText = Files.readString(configFile, StandardCharsets.UTF_8);
          config = asMap(YAML.readValue(configText, Object.class));
        }
      }
    } catch (IOException e) {
      notes.add("config.yml could not be read: " + oneLine(e));
    }
    MetricHistory history = MetricHistory.read(dir.resolve("metrics.jsonl"));
    if (history.skippedLines() > 0) {
      notes.add(history.skippedLines() + " line(s) of metrics.jsonl are not metric records and were skipped");
    }
    RunStatus status = null;
    try {
      status = RunStatus.read(dir.resolve("status.json"));
      if (status != null && status.format() != null && status.format() > RunStatus.FORMAT) {
        notes.add("status.json has format " + status.format() + "; this version reads format " + RunStatus.FORMAT);
      }
    } catch (IOException e) {
      notes.add("status.json could not be read: " + oneLine(e));
    }
    LogExcerpt log = LogExcerpt.read(dir.resolve("train.log"));
    String name = dir.toAbsolutePath().normalize().getFileName().toString();

    List<String> sets = new ArrayList<>();
    Object val = at(config, "datasets", "val");
    for (Object set : val instanceof List<?> l ? l : val == null ? List.of() : List.of(val)) {
      Map<String, Object> m = asMap(set);
      Object setName = m.getOrDefault("name", m.get("dataroot_gt"));
      if (setName != null) {
        sets.add(setName.toString());
      }
    }
    Map<String, Metric> metrics = new LinkedHashMap<>();
    Object scale = config.get("scale");
    for (Map.Entry<String, Object> m : asMap(at(config, "val", "metrics")).entrySet()) {
      Map<String, Object> mc = asMap(m.getValue());
      String type = String.valueOf(mc.getOrDefault("type", m.getKey())).replaceFirst("^calculate_", "");
      boolean niqe = type.equals("niqe");
      Object border = mc.get("crop_border") != null ? mc.get("crop_border") : scale;
      String protocol = niqe ? "Y" : (Boolean.FALSE.equals(mc.get("test_y_channel")) ? "RGB" : "Y");
      if (border != null) {
        protocol += ", border " + border;
      }
      metrics.put(m.getKey(), new Metric(m.getKey(), type, protocol, !niqe && !type.equals("lpips")));
    }
    if (sets.isEmpty() || metrics.isEmpty()) { // no config: infer from keys like Set5_psnr
      for (String key : history.series().keySet()) {
        Matcher k = METRIC_KEY.matcher(key);
        if (k.matches()) {
          if (!sets.contains(k.group(1))) {
            sets.add(k.group(1));
          }
          String kind = k.group(2);
          metrics.putIfAbsent(kind, new Metric(kind, kind, "", kind.equals("psnr") || kind.equals("ssim")));
        }
      }
    }

    Best best = best(status, history, sets, metrics);
    String state = status != null && status.state() != null ? status.state()
        : log.endsWithDone() ? "finished" : "unknown";
    String message = status != null && status.message() != null ? status.message() : log.lastMessage();
    long iteration = status != null && status.iteration() != null ? status.iteration() : history.lastIteration();
    Long totalIter = status != null && status.totalIter() != null ? status.totalIter() : asLong(at(config, "train", "total_iter"));
    Duration wall = status != null && status.wallTime() != null ? status.wallTime() : log.span();
    Double peak = status == null ? null : status.peakRssMb();
    MetricHistory.Series rss = history.get("peak_rss_mb");
    for (int i = 0; rss != null && i < rss.size(); i++) {
      peak = peak == null ? rss.value(i) : Math.max(peak, rss.value(i));
    }
    return new RunFolder(dir, name, configText, config, history, status, state, message, iteration, totalIter, log,
        ValidationImages.scan(dir.resolve("visualization")), List.copyOf(sets), metrics, best, wall, peak,
        checkpoints(dir.resolve("checkpoints")), List.copyOf(notes));
  }

  private static Best best(RunStatus status, MetricHistory history, List<String> sets, Map<String, Metric> metrics) {
    RunStatus.Best b = status == null ? null : status.best();
    if (b != null && b.key() != null && b.value() != null && b.iteration() != null) {
      return new Best(b.key(), b.value(), b.iteration(), b.higherIsBetter() == null || b.higherIsBetter());
    }
    if (sets.isEmpty() || metrics.isEmpty()) {
      return null;
    }
    // as the trainer decides: the first PSNR metric of the first set, else its first metric
    Metric m = metrics.values().stream().filter(x -> x.kind().equals("psnr")).findFirst()
        .orElse(metrics.values().iterator().next());
    String key = sets.get(0) + "_" + m.name();
    MetricHistory.Series s = history.get(key);
    int i = s == null ? -1 : s.bestIndex(m.higherIsBetter());
    return i < 0 ? null : new Best(key, s.value(i), s.iter(i), m.higherIsBetter());
  }

  private static List<String> checkpoints(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".zip")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The history key of a set's metric. */
  public static String key(String set, Metric m) {
    return set + "_" + m.name();
  }

  /** The kind (psnr, ssim, niqe, ...) of a validation key or of a metric name; "" when it is neither. */
  public String kindOf(String keyOrMetric) {
    for (Metric m : metrics.values()) {
      if (m.name().equals(keyOrMetric) || sets.stream().anyMatch(set -> key(set, m).equals(keyOrMetric))) {
        return m.kind();
      }
    }
    return "";
  }

  /** The latest validation iteration, or Long.MAX_VALUE before the first (then any saved sample is the latest). */
  public long latestValidation() {
    List<Long> its = validationIterations();
    return its.isEmpty() ? Long.MAX_VALUE : its.get(its.size() - 1);
  }

  /** Validation iterations: those at which the first set's first metric was logged. */
  public List<Long> validationIterations() {
    List<Long> its = new ArrayList<>();
    for (String set : sets) {
      for (Metric m : metrics.values()) {
        MetricHistory.Series s = history.get(key(set, m));
        if (s != null) {
          for (int i = 0; i < s.size(); i++) {
            if (its.isEmpty() || its.get(its.size() - 1) < s.iter(i)) {
              its.add(s.iter(i));
            }
          }
          return its;
        }
      }
    }
    return its;
  }

  /** The config value at {@code path}, or null. */
  public Object configAt(String... path) {
    return at(config, path);
  }

  /** network_g's type and options, as "rrdbnet {num_block=6, ...}", or null. */
  public String generator() {
    return network("network_g");
  }

  /** network_d's type and options, or null. */
  public String discriminator() {
    return network("network_d");
  }

  private String network(String key) {
    Map<String, Object> net = asMap(config.get(key));
    if (net.isEmpty()) {
      return null;
    }
    Map<String, Object> options = new LinkedHashMap<>(asMap(net.get("options")));
    if (options.isEmpty()) { // a config in BasicSR's layout: options beside the type
      options.putAll(net);
      options.remove("type");
    }
    return net.get("type") + (options.isEmpty() ? "" : " " + options);
  }

  /** The run's model type (SRModel, SRGANModel, ESRGANModel), or "?". */
  public String modelType() {
    Object t = config.get("model_type");
    return t == null ? "?" : t.toString();
  }

  /** The SR factor, or null. */
  public Long scale() {
    return asLong(config.get("scale"));
  }

  static Object at(Map<String, Object> map, String... path) {
    Object cur = map;
    for (String p : path) {
      if (!(cur instanceof Map<?, ?> m)) {
        return null;
      }
      cur = m.get(p);
    }
    return cur;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static Long asLong(Object o) {
    return o instanceof Number n ? n.longValue() : null;
  }

  private static String oneLine(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return (nl < 0 ? m : m.substring(0, nl)).trim();
  }

  /** Duration as "1 h 02 min", "4 min 05 s" or "12 s". */
  static String duration(Duration d) {
    if (d == null) {
      return "-";
    }
    long s = d.toSeconds();
    if (s >= 3600) {
      return String.format(Locale.ROOT, "%d h %02d min", s / 3600, s % 3600 / 60);
    }
    return s >= 60 ? String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60) : s + " s";
  }
}
