package io.sr4j.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The validation samples of a run, {@code visualization/<set>/}: {@code <image>_<iteration>.png} (the SR output at
 * that validation; the iteration zero-padded to 8 digits, or not, as older runs wrote it) and, written once per
 * run, {@code <image>_hr.png} and {@code <image>_bicubic.png} (the reference and the bicubic upscale, same size).
 * Sets and images are in name order.
 */
public record ValidationImages(Map<String, Map<String, Samples>> sets) {
  private static final Pattern SR = Pattern.compile("(.+)_(\\d{1,18})\\.png");
  private static final Pattern REFERENCE = Pattern.compile("(.+)_(hr|bicubic)\\.png");

  /** The files of one validation image: SR outputs by iteration; the references (null when absent). */
  public record Samples(Path hr, Path bicubic, TreeMap<Long, Path> sr) {
    /** The SR output at {@code iteration}, else the newest one up to it, else null. */
    public Map.Entry<Long, Path> srAtOrBefore(long iteration) {
      return sr.floorEntry(iteration);
    }
  }

  public static ValidationImages scan(Path visualization) {
    Map<String, Map<String, Samples>> sets = new TreeMap<>();
    if (!Files.isDirectory(visualization)) {
      return new ValidationImages(sets);
    }
    try (Stream<Path> dirs = Files.list(visualization)) {
      for (Path setDir : dirs.filter(Files::isDirectory).sorted().toList()) {
        Map<String, Samples> images = scanSet(setDir);
        if (!images.isEmpty()) {
          sets.put(setDir.getFileName().toString(), images);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ValidationImages(Collections.unmodifiableMap(sets));
  }

  private static Map<String, Samples> scanSet(Path setDir) throws IOException {
    Map<String, Path[]> refs = new TreeMap<>(); // image -> {hr, bicubic}
    Map<String, TreeMap<Long, Path>> srs = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(setDir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path f : files) {
      String name = f.getFileName().toString();
      Matcher ref = REFERENCE.matcher(name);
      Matcher sr = SR.matcher(name);
      if (ref.matches()) {
        refs.computeIfAbsent(ref.group(1), k -> new Path[2])[ref.group(2).equals("hr") ? 0 : 1] = f;
      } else if (sr.matches()) {
        srs.computeIfAbsent(sr.group(1), k -> new TreeMap<>()).put(Long.parseLong(sr.group(2)), f);
      }
    }
    Map<String, Samples> images = new LinkedHashMap<>();
    for (Map.Entry<String, TreeMap<Long, Path>> e : srs.entrySet()) {
      Path[] r = refs.getOrDefault(e.getKey(), new Path[2]);
      images.put(e.getKey(), new Samples(r[0], r[1], e.getValue()));
    }
    return images;
  }

  public boolean isEmpty() {
    return sets.isEmpty();
  }
}
