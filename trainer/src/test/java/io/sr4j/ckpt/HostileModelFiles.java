package io.sr4j.ckpt;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.nd4j.shade.protobuf.ByteString;
import onnx.Onnx;

/**
 * Crafted model files that claim far more than they hold, generated in a few milliseconds and small on disk:
 * DL4J zips whose array headers declare 2^62 or 2^31 - 2 elements, zip entries that inflate to gigabytes of zeros
 * (written as one compressed megabyte repeated, so no gigabyte is ever deflated), PyTorch files whose storages or
 * tensor views are huge. {@link #main} writes all of them to a folder, to run the command line on them by hand.
 */
public final class HostileModelFiles {
  public static final Path SRCNN_X2 = Path.of("../pretrained/srcnn_955_x2.zip");

  private HostileModelFiles() {}

  /** {@code src} with the data length of coefficients.bin replaced by {@code length} (and its shape too). */
  public static Path dl4jWithCoefficientLength(Path src, Path out, long length, boolean shapeToo) throws IOException {
    Map<String, byte[]> entries = entries(src);
    byte[] coefficients = entries.get(Checkpoint.COEFFICIENTS);
    ByteBuffer buf = ByteBuffer.wrap(coefficients); // big-endian, as DataOutputStream writes
    int pos = skipUtf(buf, 0);
    long shapeLength = buf.getLong(pos);
    pos = skipUtf(buf, pos + 8);
    int shapeStart = pos;
    pos += (int) shapeLength * 8;
    pos = skipUtf(buf, pos);
    buf.putLong(pos, length);
    if (shapeToo) {
      long rank = buf.getLong(shapeStart);
      buf.putLong(shapeStart + 8, 1);
      buf.putLong(shapeStart + 8 * (int) rank, length); // shape [1, ..., length]
    }
    return zip(out, entries);
  }

  /** {@code src} with configuration.json replaced by {@code json}. */
  public static Path dl4jWithConfiguration(Path src, Path out, String json) throws IOException {
    Map<String, byte[]> entries = entries(src);
    entries.put(Checkpoint.CONFIGURATION, json.getBytes(StandardCharsets.UTF_8));
    return zip(out, entries);
  }

  /**
   * {@code src} with configuration.json replaced by {@code inflatedBytes} zero bytes, compressed to about 1/1000;
   * the zip's directory declares {@code declaredBytes} (the real size, or a lie).
   */
  public static Path dl4jConfigurationBomb(Path src, Path out, long inflatedBytes, long declaredBytes) throws IOException {
    Map<String, byte[]> entries = entries(src);
    entries.remove(Checkpoint.CONFIGURATION);
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out.toFile())) {
      zeroEntry(zip, Checkpoint.CONFIGURATION, inflatedBytes, declaredBytes);
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        storedCopy(zip, e.getKey(), e.getValue());
      }
    }
    return out;
  }

  /** A torch.save zip whose data.pkl inflates to {@code inflatedBytes} zero bytes. */
  public static Path torchPickleBomb(Path out, long inflatedBytes) throws IOException {
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out.toFile())) {
      zeroEntry(zip, "archive/data.pkl", inflatedBytes, inflatedBytes);
    }
    return out;
  }

  /**
   * A torch.save zip holding one float tensor of {@code numel} elements, whose storage entry really inflates to
   * {@code numel * 4} zero bytes.
   */
  public static Path torchHugeStorage(Path out, long numel) throws IOException {
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out.toFile())) {
      storedCopy(zip, "archive/data.pkl", tensorPickle(numel, numel, 1));
      zeroEntry(zip, "archive/data/0", numel * 4, numel * 4);
    }
    return out;
  }

  /** A torch.save zip whose one-element storage is viewed as a tensor of {@code numel} elements (stride 0). */
  public static Path torchBroadcastView(Path out, long numel) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("archive/data.pkl", tensorPickle(1, numel, 0));
    entries.put("archive/data/0", new byte[4]);
    return zip(out, entries);
  }

  /** A safetensors file whose JSON header length field says {@code headerLength}. */
  public static Path safetensorsHeaderLength(Path out, long headerLength) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(headerLength).put("{}      ".getBytes(StandardCharsets.US_ASCII));
    Files.write(out, b.array());
    return out;
  }

  /** A safetensors file with one F32 tensor of shape {@code [n]} whose data offsets cover 4 bytes. */
  public static Path safetensorsShape(Path out, long n) throws IOException {
    String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[" + n + "],\"data_offsets\":[0,4]}}";
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + json.length + 4).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(json.length).put(json).putFloat(1f);
    Files.write(out, b.array());
    return out;
  }

  /**
   * A MAT v5 file with one double variable 'w' whose dimensions say {@code rows x cols} but which holds one
   * element (written byte by byte: header, then a miMATRIX element with flags, dims, name and real part).
   */
  public static Path matWithDims(Path out, int rows, int cols) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(128 + 8 + 56).order(ByteOrder.LITTLE_ENDIAN);
    byte[] text = String.format("%-116s", "MATLAB 5.0 MAT-file, crafted").getBytes(StandardCharsets.US_ASCII);
    b.put(text).putLong(0).putShort((short) 0x0100).put((byte) 'I').put((byte) 'M');
    b.putInt(14).putInt(56); // miMATRIX
    b.putInt(6).putInt(8).putInt(6).putInt(0); // array flags: mxDOUBLE_CLASS
    b.putInt(5).putInt(8).putInt(rows).putInt(cols); // dimensions
    b.putInt((1 << 16) | 1).put(new byte[] {'w', 0, 0, 0}); // name, small element format
    b.putInt(9).putInt(8).putDouble(1.0); // real part: one double
    Files.write(out, b.array());
    return out;
  }

  /**
   * A MAT v5 file whose one variable is compressed (miCOMPRESSED, as MATLAB's default {@code save} writes): a
   * double column of {@code zeroBytes / 8} zeros, consistent in every field, that inflates to {@code zeroBytes}.
   */
  public static Path matCompressedZeros(Path out, int zeroBytes) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(56).order(ByteOrder.LITTLE_ENDIAN);
    head.putInt(14).putInt(48 + zeroBytes); // miMATRIX
    head.putInt(6).putInt(8).putInt(6).putInt(0);
    head.putInt(5).putInt(8).putInt(zeroBytes / 8).putInt(1);
    head.putInt((1 << 16) | 1).put(new byte[] {'w', 0, 0, 0});
    head.putInt(9).putInt(zeroBytes); // real part
    int chunkBytes = 1 << 20;
    byte[] zeros = new byte[chunkBytes];
    java.util.zip.Adler32 adler = new java.util.zip.Adler32();
    adler.update(head.array());
    for (int i = 0; i < zeroBytes / chunkBytes; i++) {
      adler.update(zeros);
    }
    byte[] chunk = deflate(zeros, Deflater.FULL_FLUSH);
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    z.write(0x78);
    z.write(0x9c); // zlib header
    z.writeBytes(deflate(head.array(), Deflater.FULL_FLUSH));
    for (int i = 0; i < zeroBytes / chunkBytes; i++) {
      z.writeBytes(chunk);
    }
    z.writeBytes(deflate(new byte[0], Deflater.NO_FLUSH));
    z.writeBytes(ByteBuffer.allocate(4).putInt((int) adler.getValue()).array());
    ByteBuffer b = ByteBuffer.allocate(128 + 8).order(ByteOrder.LITTLE_ENDIAN);
    b.put(String.format("%-116s", "MATLAB 5.0 MAT-file, crafted").getBytes(StandardCharsets.US_ASCII));
    b.putLong(0).putShort((short) 0x0100).put((byte) 'I').put((byte) 'M');
    b.putInt(15).putInt(z.size()); // miCOMPRESSED
    try (OutputStream o = Files.newOutputStream(out)) {
      o.write(b.array());
      z.writeTo(o);
    }
    return out;
  }

  /**
   * An ONNX model with the sr4j metadata of an SRCNN x2 and one Conv node whose weight initializer declares
   * {@code dims} but holds 4 bytes; {@code op} replaces the Conv operator when not null.
   */
  public static Path onnx(Path out, long[] dims, String op) throws IOException {
    Onnx.TensorProto.Builder w = Onnx.TensorProto.newBuilder().setName("w")
        .setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(new byte[4]));
    for (long d : dims) {
      w.addDims(d);
    }
    Onnx.GraphProto g = Onnx.GraphProto.newBuilder().setName("g").addInitializer(w)
        .addNode(Onnx.NodeProto.newBuilder().setOpType(op == null ? "Conv" : op).setName("conv1")
            .addInput("x").addInput("w").addOutput("y"))
        .addInput(Onnx.ValueInfoProto.newBuilder().setName("x")).addOutput(Onnx.ValueInfoProto.newBuilder().setName("y"))
        .build();
    Onnx.ModelProto.Builder m = Onnx.ModelProto.newBuilder().setIrVersion(7).setGraph(g)
        .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13));
    m.addMetadataProps(Onnx.StringStringEntryProto.newBuilder().setKey("sr4j.arch").setValue("srcnn"));
    m.addMetadataProps(Onnx.StringStringEntryProto.newBuilder().setKey("sr4j.options").setValue("{\"scale\":2}"));
    Files.write(out, m.build().toByteArray());
    return out;
  }

  /**
   * The pickle of {@code {'w': tensor}} as torch.save writes it (protocol 2): a float storage '0' of
   * {@code storageNumel} elements viewed with size {@code (numel,)} and stride {@code (stride,)}.
   */
  public static byte[] tensorPickle(long storageNumel, long numel, long stride) {
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    p.writeBytes(new byte[] {(byte) 0x80, 2, '}', '('});
    unicode(p, "w");
    p.writeBytes("ctorch._utils\n_rebuild_tensor_v2\n(".getBytes(StandardCharsets.US_ASCII));
    p.write('(');
    unicode(p, "storage");
    p.writeBytes("ctorch\nFloatStorage\n".getBytes(StandardCharsets.US_ASCII));
    unicode(p, "0");
    unicode(p, "cpu");
    long1(p, storageNumel);
    p.writeBytes(new byte[] {'t', 'Q', 'K', 0});
    long1(p, numel);
    p.write(0x85); // TUPLE1: size
    long1(p, stride);
    p.write(0x85); // stride
    p.write(0x89); // requires_grad False
    p.writeBytes("ccollections\nOrderedDict\n)R".getBytes(StandardCharsets.US_ASCII));
    p.writeBytes(new byte[] {'t', 'R', 'u', '.'});
    return p.toByteArray();
  }

  private static void unicode(ByteArrayOutputStream p, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    p.write('X');
    p.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
    p.writeBytes(b);
  }

  private static void long1(ByteArrayOutputStream p, long v) {
    p.write(0x8a);
    p.write(8);
    p.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
  }

  /**
   * A deflated entry of {@code bytes} zeros: one MiB of zeros deflated with a full flush is a self-contained
   * sequence of blocks, so repeating it and closing with an empty final block is a valid stream.
   */
  private static void zeroEntry(ZipArchiveOutputStream zip, String name, long bytes, long declared)
      throws IOException {
    int chunkBytes = 1 << 20;
    if (bytes % chunkBytes != 0) {
      throw new IllegalArgumentException("a multiple of 1 MiB, please");
    }
    byte[] chunk = deflate(new byte[chunkBytes], Deflater.FULL_FLUSH);
    byte[] last = deflate(new byte[0], Deflater.NO_FLUSH);
    long copies = bytes / chunkBytes;
    CRC32 crc = new CRC32();
    byte[] zeros = new byte[chunkBytes];
    for (long i = 0; i < copies; i++) {
      crc.update(zeros);
    }
    ZipArchiveEntry entry = new ZipArchiveEntry(name);
    entry.setMethod(ZipEntry.DEFLATED);
    entry.setSize(declared);
    entry.setCompressedSize(copies * chunk.length + last.length);
    entry.setCrc(crc.getValue());
    InputStream raw = new SequenceInputStream(Collections.enumeration(
        java.util.stream.Stream.concat(
            java.util.stream.LongStream.range(0, copies).mapToObj(i -> new ByteArrayInputStream(chunk)),
            java.util.stream.Stream.of(new ByteArrayInputStream(last))).toList()));
    zip.addRawArchiveEntry(entry, raw);
  }

  /** Raw deflate (no zlib header) of {@code data}; NO_FLUSH means finish the stream with a final block. */
  private static byte[] deflate(byte[] data, int flush) {
    Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
    d.setInput(data);
    if (flush == Deflater.NO_FLUSH) {
      d.finish();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[1 << 16];
    while (true) {
      int n = d.deflate(buf, 0, buf.length, flush == Deflater.NO_FLUSH ? Deflater.NO_FLUSH : flush);
      out.write(buf, 0, n);
      if (flush == Deflater.NO_FLUSH ? d.finished() : (n < buf.length && d.needsInput())) {
        break;
      }
    }
    d.end();
    return out.toByteArray();
  }

  private static void storedCopy(ZipArchiveOutputStream zip, String name, byte[] data) throws IOException {
    ZipArchiveEntry entry = new ZipArchiveEntry(name);
    zip.putArchiveEntry(entry);
    zip.write(data);
    zip.closeArchiveEntry();
  }

  private static int skipUtf(ByteBuffer buf, int pos) {
    return pos + 2 + (buf.getShort(pos) & 0xffff);
  }

  public static Map<String, byte[]> entries(Path zipFile) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(zipFile.toFile())) {
      for (ZipEntry e : Collections.list(zip.entries())) {
        try (InputStream in = zip.getInputStream(e)) {
          entries.put(e.getName(), in.readAllBytes());
        }
      }
    }
    return entries;
  }

  public static Path zip(Path out, Map<String, byte[]> entries) throws IOException {
    try (OutputStream file = Files.newOutputStream(out); ZipOutputStream zip = new ZipOutputStream(file)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return out;
  }

  /** Writes every hostile model file into the folder {@code args[0]}. */
  public static void main(String[] args) throws IOException {
    Path dir = Files.createDirectories(Path.of(args[0]));
    Path src = args.length > 1 ? Path.of(args[1]) : SRCNN_X2;
    dl4jWithCoefficientLength(src, dir.resolve("length_2e62.zip"), 1L << 62, false);
    dl4jWithCoefficientLength(src, dir.resolve("shape_2e31m2.zip"), (1L << 31) - 2, true);
    dl4jConfigurationBomb(src, dir.resolve("config_bomb_3g.zip"), 3L << 30, 3L << 30);
    dl4jConfigurationBomb(src, dir.resolve("config_bomb_3g_lying.zip"), 3L << 30, 5969);
    dl4jWithConfiguration(src, dir.resolve("config_garbage.zip"), "this is not JSON {");
    dl4jWithConfiguration(src, dir.resolve("config_wrong_class.zip"),
        "{\"@class\":\"java.lang.ProcessBuilder\",\"vertices\":{\"x\":{\"@class\":\"no.such.Vertex\"}}}");
    torchPickleBomb(dir.resolve("pickle_bomb_3g.pth"), 3L << 30);
    torchHugeStorage(dir.resolve("storage_530m.pth"), 505L << 20);
    torchBroadcastView(dir.resolve("broadcast_view_2e30.pth"), 1L << 30);
    safetensorsHeaderLength(dir.resolve("header_2e62.safetensors"), 1L << 62);
    safetensorsShape(dir.resolve("shape_2e31m2.safetensors"), (1L << 31) - 2);
    matWithDims(dir.resolve("dims_46340x46340_x2.mat"), 46340, 46340);
    matCompressedZeros(dir.resolve("compressed_1g_x2.mat"), 1 << 30);
    onnx(dir.resolve("initializer_2e31m2.onnx"), new long[] {(1L << 31) - 2}, null);
    onnx(dir.resolve("constant_of_shape.onnx"), new long[] {1}, "ConstantOfShape");
  }
}
