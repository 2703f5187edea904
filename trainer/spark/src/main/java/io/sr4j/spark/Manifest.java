package io.sr4j.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A job's manifest: {@code DIR/manifest.jsonl}, one {@link ManifestEntry} a line, each run appending its lines.
 *
 * <p>While a run goes on, every task attempt appends the line of each item it finishes to its own file in
 * {@code DIR/manifest-parts/} (one writer per file, as HDFS requires), flushed line by line; the driver folds the
 * run's lines into manifest.jsonl when the run ends and removes the part files. A run whose driver was killed leaves
 * its part files behind: the next run reads them as well, so finished items are not done again. A line cut short by
 * the kill (or otherwise unreadable) is ignored, and its item is done again.
 */
final class Manifest implements Serializable {
  private static final long serialVersionUID = 1L;
  static final String FILE = "manifest.jsonl";
  static final String PARTS = "manifest-parts";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HadoopFiles files;
  private final String dirUri;

  Manifest(HadoopFiles files, String dirUri) {
    this.files = files;
    this.dirUri = dirUri;
  }

  /** What earlier runs recorded: readable lines in order, their entries, the part files read, unreadable lines. */
  record History(List<String> lines, List<ManifestEntry> entries, List<String> partFiles, int unreadableLines) {
    /** The latest successful entry of every item whose fingerprint is {@code job}. */
    Map<String, ManifestEntry> finished(String job) {
      Map<String, ManifestEntry> out = new LinkedHashMap<>();
      for (ManifestEntry e : entries) {
        if (e.job().equals(job) && e.succeeded()) {
          out.put(e.item(), e);
        }
      }
      return out;
    }
  }

  String fileUri() {
    return HadoopFiles.resolve(dirUri, FILE);
  }

  private String partsUri() {
    return HadoopFiles.resolve(dirUri, PARTS);
  }

  History read() {
    List<String> lines = new ArrayList<>();
    List<ManifestEntry> entries = new ArrayList<>();
    int[] unreadable = {0};
    if (files.exists(fileUri())) {
      parse(files.readString(fileUri()), lines, entries, unreadable);
    }
    List<String> parts = files.listFiles(partsUri()).stream().filter(u -> u.endsWith(".jsonl")).toList();
    for (String part : parts) {
      parse(files.readString(part), lines, entries, unreadable);
    }
    return new History(lines, entries, parts, unreadable[0]);
  }

  private static void parse(String text, List<String> lines, List<ManifestEntry> entries, int[] unreadable) {
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        ManifestEntry e = JSON.readValue(line, ManifestEntry.class);
        if (e.item() == null || e.status() == null || e.job() == null) {
          throw new IllegalArgumentException("not a manifest entry");
        }
        entries.add(e);
        lines.add(line);
      } catch (JsonProcessingException | IllegalArgumentException e) {
        unreadable[0]++;
      }
    }
  }

  /** The part file of one task attempt of a run. */
  String partUri(String run, int partition, int attempt) {
    return HadoopFiles.resolve(partsUri(), run + "-p" + partition + "-a" + attempt + ".jsonl");
  }

  static String toJson(ManifestEntry e) {
    try {
      return JSON.writeValueAsString(e);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("cannot write a manifest entry as JSON", ex);
    }
  }

  /**
   * Writes manifest.jsonl as the readable lines of earlier runs (including part files of killed runs) followed by
   * {@code runEntries}, atomically, then removes the part files it has folded in and those of this run.
   */
  void commit(History before, String run, List<ManifestEntry> runEntries) {
    Set<String> lines = new LinkedHashSet<>(before.lines()); // a part file folded in twice adds nothing
    for (ManifestEntry e : runEntries) {
      lines.add(toJson(e));
    }
    files.writeString(fileUri(), String.join("\n", lines) + "\n");
    for (String part : files.listFiles(partsUri())) {
      if (before.partFiles().contains(part) || HadoopFiles.fileName(part).startsWith(run + "-")) {
        files.delete(part);
      }
    }
  }
}
