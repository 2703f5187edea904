package io.sr4j.spark;

import java.io.Serializable;
import java.util.HexFormat;

/** A file a job wrote: where, its SHA-256 (hex) and its size in bytes. */
public record OutputFile(String uri, String sha256, long bytes) implements Serializable {
  static OutputFile of(String uri, byte[] content) {
    return new OutputFile(uri, HexFormat.of().formatHex(HadoopFiles.sha256().digest(content)), content.length);
  }
}
