package io.sr4j.spark;

import io.sr4j.cli.Main;
import io.sr4j.data.image.ImageFiles;
import io.sr4j.data.pairs.BundledData;
import io.sr4j.data.pairs.LrSynthesis;
import io.sr4j.data.pairs.PairedFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** Shared pieces of the Spark tests: a local[2] context, the bundled images, the sr command line. */
final class TestData {
  private TestData() {}

  static final Path HOME = Path.of(System.getProperty("sr4j.home"));
  static final Path SRCNN_X3 = HOME.resolve("pretrained/srcnn_955_x3.zip");

  /** Spark in this JVM with two task threads, as the jobs' unit tests run it. */
  static JavaSparkContext localSpark() {
    return new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("sr4j test")
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1"));
  }

  static Path hr(String set) {
    return BundledData.hrFolder(set).orElseThrow();
  }

  /** Copies the HR images of the bundled sets into {@code dir}. */
  static Path copyHr(Path dir, String... sets) throws IOException {
    Files.createDirectories(dir);
    for (String set : sets) {
      for (Path f : ImageFiles.list(hr(set))) {
        Files.copy(f, dir.resolve(f.getFileName()));
      }
    }
    return dir;
  }

  /** The x{@code scale} LR images (MATLAB bicubic of the 8-bit images) of the bundled sets, written to {@code dir}. */
  static Path writeLr(Path dir, int scale, String... sets) throws IOException {
    Files.createDirectories(dir);
    for (String set : sets) {
      PairedFolder pairs = PairedFolder.synthesized(hr(set), scale, LrSynthesis.RGB8);
      for (int i = 0; i < pairs.size(); i++) {
        ImageFiles.write(pairs.load(i).lr(), dir.resolve(pairs.names().get(i) + ".png"));
      }
    }
    return dir;
  }

  /** Runs the {@code sr} command line in this JVM; fails with its error output unless it exits 0. */
  static String sr(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = Main.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    if (exit != 0) {
      throw new AssertionError("sr " + String.join(" ", args) + " exited " + exit + ": " + err);
    }
    return out.toString();
  }

  /** File name -> content of the regular files of a folder. */
  static Map<String, byte[]> contents(Path dir) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        out.put(f.getFileName().toString(), Files.readAllBytes(f));
      }
    }
    return out;
  }

  /** File name -> modification time of the PNG files of a folder. */
  static Map<String, FileTime> pngTimes(Path dir) throws IOException {
    Map<String, FileTime> out = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".png")).sorted().toList()) {
        out.put(f.getFileName().toString(), Files.getLastModifiedTime(f));
      }
    }
    return out;
  }

  /** The entries of a manifest file, in order. */
  static List<ManifestEntry> manifest(Path file) {
    try {
      var json = new com.fasterxml.jackson.databind.ObjectMapper();
      return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(l -> {
        try {
          return json.readValue(l, ManifestEntry.class);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
