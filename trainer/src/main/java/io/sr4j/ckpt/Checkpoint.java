package io.sr4j.ckpt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sr4j.ckpt.formats.ModelLimits;
import io.sr4j.data.AtomicFiles;
import io.sr4j.data.BadInputException;
import io.sr4j.nn.InputGradientGraph;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The project's model file: a zip that is also a valid DL4J {@code ModelSerializer} file of the main network
 * ({@code configuration.json}, {@code coefficients.bin}, optional {@code updaterState.bin}), so plain DL4J code
 * restores it with {@code ModelSerializer.restoreComputationGraph}, plus the {@link ModelCard} in
 * {@code sr4j/model.json} and any further named entries (training state, EMA weights, a discriminator).
 * Files are written atomically: a crash never leaves a half-written file under the final name.
 */
public final class Checkpoint {
  public static final String CONFIGURATION = "configuration.json";
  public static final String COEFFICIENTS = "coefficients.bin";
  public static final String UPDATER = "updaterState.bin";
  public static final String CARD = "sr4j/model.json";
  /** The resolved config of the run that wrote the file. */
  public static final String CONFIG_ENTRY = "sr4j/config.yml";
  /** The file's {@link Provenance}. */
  public static final String PROVENANCE_ENTRY = "sr4j/provenance.json";
  /**
   * Modification time of every entry: fixed (1980-01-01, the zip epoch), so that the same content gives the same
   * bytes; when a file was written is in its provenance.
   */
  private static final long ENTRY_TIME = java.time.LocalDateTime.of(1980, 1, 1, 0, 0)
      .atZone(java.time.ZoneId.systemDefault()).toInstant().toEpochMilli();

  private static final ObjectMapper JSON = new ObjectMapper();

  private Checkpoint() {}

  /** A network read from a file, with its card when the file has one. */
  public record Loaded(InputGradientGraph network, ModelCard card) {}

  /**
   * Writes {@code net} (with its optimizer state when {@code withUpdater}), {@code card} and {@code extras}
   * (entry name to bytes) to {@code file}.
   */
  public static void write(Path file, ComputationGraph net, ModelCard card, boolean withUpdater,
      Map<String, byte[]> extras) {
    try {
      AtomicFiles.write(file, tmp -> {
        try (ZipOutputStream zip = new ZipOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
          zip.setLevel(Deflater.BEST_SPEED);
          writeNetwork(zip, net, withUpdater);
          putEntry(zip, CARD, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(card));
          for (Map.Entry<String, byte[]> e : extras.entrySet()) {
            putEntry(zip, e.getKey(), e.getValue());
          }
        }
      });
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot write checkpoint (" + e.getMessage() + ")", e);
    }
  }

  private static void writeNetwork(ZipOutputStream zip, ComputationGraph net, boolean withUpdater) throws IOException {
    putEntry(zip, CONFIGURATION, net.getConfiguration().toJson().getBytes(StandardCharsets.UTF_8));
    zip.putNextEntry(entry(COEFFICIENTS));
    writeArray(zip, net.params());
    zip.closeEntry();
    INDArray state = withUpdater && net.getUpdater() != null ? net.getUpdater().getStateViewArray() : null;
    if (state != null) {
      zip.putNextEntry(entry(UPDATER));
      writeArray(zip, state);
      zip.closeEntry();
    }
  }

  private static ZipEntry entry(String name) {
    ZipEntry e = new ZipEntry(name);
    e.setTime(ENTRY_TIME);
    return e;
  }

  private static void putEntry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    zip.putNextEntry(entry(name));
    zip.write(bytes);
    zip.closeEntry();
  }

  /** The entries that tie a model file to its run: the resolved config and the provenance. */
  public static Map<String, byte[]> runEntries(String configYaml, Provenance provenance) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put(CONFIG_ENTRY, configYaml.getBytes(StandardCharsets.UTF_8));
    try {
      entries.put(PROVENANCE_ENTRY, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(provenance));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return entries;
  }

  /**
   * The run entries of {@code file} (its resolved config and provenance, as far as it has them), for a file made
   * from it (an export, an interpolation) to carry on; empty for a file that is not a model zip of this project.
   */
  public static Map<String, byte[]> runEntries(Path file) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".zip")) {
      for (String name : List.of(CONFIG_ENTRY, PROVENANCE_ENTRY)) {
        entry(file, name).ifPresent(b -> entries.put(name, b));
      }
    }
    return entries;
  }

  /** The provenance of {@code file}, if it has one (files of format version 1 do not). */
  public static Optional<Provenance> provenance(Path file) {
    return entry(file, PROVENANCE_ENTRY).map(b -> {
      try {
        return JSON.readValue(b, Provenance.class);
      } catch (IOException e) {
        throw new BadInputException(file + ": corrupt provenance (" + e.getMessage() + ")", e);
      }
    });
  }

  /**
   * Reads every entry of {@code file} to its end, which checks each entry's CRC-32 (a flipped bit anywhere in the
   * compressed data fails here); fails naming the file and the entry.
   */
  public static void verifyEntries(Path file) {
    String current = "(zip structure)";
    try (ZipInputStream zip = new ZipInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
      byte[] buffer = new byte[1 << 16];
      int entries = 0;
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        current = e.getName();
        while (zip.read(buffer) >= 0) {
          // reading to the end checks the CRC
        }
        entries++;
      }
      if (entries == 0) {
        throw new BadInputException(file + ": not a model file (no zip entries)");
      }
    } catch (IOException e) {
      throw new BadInputException(file + ": damaged at entry " + current + " (" + e.getMessage() + ")", e);
    }
  }

  /** ND4J's binary array format, as ModelSerializer writes it. */
  public static void writeArray(OutputStream out, INDArray array) throws IOException {
    DataOutputStream dos = new DataOutputStream(out);
    Nd4j.write(array, dos);
    dos.flush();
  }

  /**
   * An array in ND4J's binary format. Its header is checked against the bytes really there (and the size limit of
   * {@link ModelLimits}) before anything is allocated; an IOException says what is wrong.
   */
  public static INDArray readArray(byte[] bytes) throws IOException {
    Nd4jArrayHeader.check(bytes);
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
      return Nd4j.read(in);
    }
  }

  public static byte[] arrayBytes(INDArray array) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writeArray(out, array);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  /** A network as the bytes of a stand-alone ModelSerializer zip (for a second network inside a checkpoint). */
  public static byte[] networkBytes(ComputationGraph net, boolean withUpdater) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.setLevel(Deflater.BEST_SPEED);
      writeNetwork(zip, net, withUpdater);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  /** Reads the network of a stand-alone ModelSerializer zip held in memory. */
  public static InputGradientGraph networkFromBytes(byte[] zipBytes, boolean withUpdater, String what) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipInputStream zip = new ZipInputStream(new java.io.ByteArrayInputStream(zipBytes))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        if (List.of(CONFIGURATION, COEFFICIENTS, UPDATER).contains(e.getName())) {
          entries.put(e.getName(), ModelLimits.readBounded(what + ": entry " + e.getName(), zip, e.getSize()));
        }
      }
      return network(entries::get, withUpdater, what);
    } catch (IOException e) {
      throw new BadInputException(what + ": corrupt network data (" + e.getMessage() + ")", e);
    }
  }

  /** Reads the main network of {@code file} and its card (null for plain DL4J files). */
  public static Loaded read(Path file, boolean withUpdater) {
    try (ZipFile zip = open(file)) {
      InputGradientGraph net = network(name -> bytes(zip, name), withUpdater, file.toString());
      byte[] card = bytes(zip, CARD);
      return new Loaded(net, card == null ? null : card(card, file));
    } catch (IOException e) {
      throw new BadInputException(file + ": corrupt checkpoint (" + e.getMessage() + ")", e);
    }
  }

  private static ModelCard card(byte[] json, Path file) {
    try {
      return JSON.readValue(json, ModelCard.class);
    } catch (IOException | RuntimeException e) {
      throw new BadInputException(file + ": entry " + CARD + " is not a valid model card" + jsonLocation(e), e);
    }
  }

  /** The card of {@code file} without loading its weights, if it has one. */
  public static Optional<ModelCard> card(Path file) {
    return entry(file, CARD).map(b -> card(b, file));
  }

  /** One entry of {@code file}, if present. */
  public static Optional<byte[]> entry(Path file, String name) {
    try (ZipFile zip = open(file)) {
      return Optional.ofNullable(bytes(zip, name));
    } catch (IOException e) {
      throw new BadInputException(file + ": corrupt checkpoint (" + e.getMessage() + ")", e);
    }
  }

  private interface EntrySource {
    byte[] get(String name) throws IOException;
  }

  private static InputGradientGraph network(EntrySource entries, boolean withUpdater, String what) throws IOException {
    byte[] conf = entries.get(CONFIGURATION);
    byte[] coefficients = entries.get(COEFFICIENTS);
    if (conf == null || coefficients == null) {
      throw new BadInputException(what + ": not a model file (no " + CONFIGURATION + " / " + COEFFICIENTS + ")");
    }
    ComputationGraphConfiguration c = configuration(conf, what);
    long coefficientCount = elementCount(coefficients, what, COEFFICIENTS);
    long parameterCount = parameterCount(c, coefficientCount, what);
    if (parameterCount != coefficientCount) {
      throw new BadInputException(what + ": " + CONFIGURATION + " describes a network of " + parameterCount
          + " parameters but " + COEFFICIENTS + " holds " + coefficientCount + " values");
    }
    InputGradientGraph net;
    try {
      net = io.sr4j.nn.Graphs.owning(c, readArray(coefficients));
    } catch (RuntimeException e) {
      throw new BadInputException(what + ": cannot build the network that " + CONFIGURATION + " describes "
          + "(not a network written by this project or by DL4J 1.0.0-M2.1?)", e);
    }
    byte[] updater = withUpdater ? entries.get(UPDATER) : null;
    if (updater != null) {
      long stateCount = elementCount(updater, what, UPDATER);
      INDArray view = net.getUpdater().getStateViewArray();
      long expected = view == null ? 0 : view.length();
      if (stateCount != expected) {
        throw new BadInputException(what + ": " + UPDATER + " holds " + stateCount + " values; the optimizer of "
            + "this network keeps " + expected);
      }
      if (view != null) {
        net.getUpdater().setStateViewArray(readArray(updater));
      }
    }
    return net;
  }

  /** The graph configuration in {@code json}, or a one-line error naming the file (no JSON or class names). */
  private static ComputationGraphConfiguration configuration(byte[] json, String what) {
    try {
      JSON.readTree(json);
    } catch (IOException e) {
      throw new BadInputException(what + ": entry " + CONFIGURATION + " is not valid JSON" + jsonLocation(e), e);
    }
    ComputationGraphConfiguration c;
    try {
      c = ComputationGraphConfiguration.fromJson(new String(json, StandardCharsets.UTF_8));
    } catch (RuntimeException | StackOverflowError e) {
      throw new BadInputException(what + ": entry " + CONFIGURATION + " is not a DL4J ComputationGraph "
          + "configuration", e);
    }
    if (c == null || c.getVertices() == null || c.getNetworkInputs() == null || c.getNetworkOutputs() == null
        || c.getVertices().isEmpty() || c.getNetworkOutputs().isEmpty()) {
      throw new BadInputException(what + ": entry " + CONFIGURATION + " is not a DL4J ComputationGraph "
          + "configuration (no vertices, inputs or outputs)");
    }
    c.setTrainingWorkspaceMode(WorkspaceMode.NONE);
    c.setInferenceWorkspaceMode(WorkspaceMode.NONE);
    return c;
  }

  /** The number of elements of the ND4J array in {@code bytes}, checked before anything is allocated. */
  private static long elementCount(byte[] bytes, String what, String entry) {
    try {
      long count = 1;
      for (long dim : Nd4jArrayHeader.check(bytes)) {
        count *= dim; // cannot overflow: the header check bounds the element count
      }
      return count;
    } catch (IOException e) {
      throw new BadInputException(what + ": entry " + entry + " " + e.getMessage(), e);
    }
  }

  /**
   * The parameters the layers of {@code c} would allocate, summed without overflow; a vertex claiming more than
   * {@code available} is refused at once.
   */
  private static long parameterCount(ComputationGraphConfiguration c, long available, String what) {
    long total = 0;
    for (Map.Entry<String, GraphVertex> v : c.getVertices().entrySet()) {
      long n;
      try {
        n = v.getValue() == null ? -1 : v.getValue().numParams(true);
      } catch (RuntimeException e) {
        n = -1;
      }
      if (n < 0 || n > available) {
        throw new BadInputException(what + ": " + CONFIGURATION + " describes vertex '" + v.getKey() + "' with "
            + (n < 0 ? "an invalid size" : n + " parameters") + ", but " + COEFFICIENTS + " holds " + available
            + " values");
      }
      total = Math.addExact(total, n);
    }
    return total;
  }

  /** " (at line L, column C)" for a JSON syntax or mapping error somewhere in {@code e}'s causes, else "". */
  private static String jsonLocation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof JsonProcessingException j && j.getLocation() != null) {
        return " (at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")";
      }
    }
    return "";
  }

  private static ZipFile open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(file + ": no such model file");
    }
    try {
      return new ZipFile(file.toFile());
    } catch (java.util.zip.ZipException e) {
      throw new BadInputException(file + ": not a model file (not a zip archive: " + e.getMessage() + ")", e);
    }
  }

  private static byte[] bytes(ZipFile zip, String name) throws IOException {
    ZipEntry e = zip.getEntry(name);
    if (e == null) {
      return null;
    }
    return ModelLimits.readEntry(zip.getName(), zip, e);
  }
}
