package io.sr4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sr4j.data.AtomicFiles;
import io.sr4j.data.BadInputException;
import java.io.IOException;
import java.nio.file.Path;

/** Writes command results as pretty-printed JSON files, atomically. */
final class JsonOutput {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonOutput() {}

  static void write(Path file, Object value) {
    try {
      AtomicFiles.writeString(file, MAPPER.writeValueAsString(value) + "\n");
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot write JSON (" + e.getMessage() + ")", e);
    }
  }
}
