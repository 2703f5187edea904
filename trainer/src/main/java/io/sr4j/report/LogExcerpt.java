package io.sr4j.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a report shows of {@code train.log}, read from its first and last few kilobytes only: the set-up lines
 * (loss, data, network: the lines before the first iteration or validation line), the last lines, and the time
 * stamps of the first and last line (local time, as the log writes them).
 */
record LogExcerpt(List<String> setup, List<String> tail, LocalDateTime first, LocalDateTime last) {
  static final int HEAD_BYTES = 32 * 1024;
  static final int TAIL_BYTES = 16 * 1024;
  static final int SETUP_LINES = 40;
  static final int TAIL_LINES = 15;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  static final LogExcerpt NONE = new LogExcerpt(List.of(), List.of(), null, null);

  static LogExcerpt read(Path log) {
    if (!Files.isRegularFile(log)) {
      return NONE;
    }
    try (SeekableByteChannel ch = Files.newByteChannel(log)) {
      long size = ch.size();
      List<String> head = lines(ch, 0, (int) Math.min(size, HEAD_BYTES), size > HEAD_BYTES, false);
      long tailStart = Math.max(0, size - TAIL_BYTES);
      List<String> tailAll = lines(ch, tailStart, (int) (size - tailStart), false, tailStart > 0);
      List<String> setup = new ArrayList<>();
      for (String l : head) {
        String text = withoutTime(l);
        if (text.startsWith("[iter ") || text.startsWith("[validation ") || setup.size() == SETUP_LINES) {
          break;
        }
        setup.add(l);
      }
      List<String> tail = tailAll.subList(Math.max(0, tailAll.size() - TAIL_LINES), tailAll.size());
      return new LogExcerpt(List.copyOf(setup), List.copyOf(tail), head.isEmpty() ? null : time(head.get(0)),
          tail.isEmpty() ? null : time(tail.get(tail.size() - 1)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The complete lines of {@code length} bytes at {@code from}, without a cut first or last line. */
  private static List<String> lines(SeekableByteChannel ch, long from, int length, boolean dropLast, boolean dropFirst)
      throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    ch.position(from);
    int n;
    do {
      n = ch.read(buf);
    } while (n > 0 && buf.hasRemaining());
    List<String> lines = new ArrayList<>(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).lines()
        .filter(l -> !l.isBlank()).toList());
    if (dropFirst && !lines.isEmpty()) {
      lines.remove(0);
    }
    if (dropLast && !lines.isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }

  /** True when the log ends with the trainer's closing "done: " line (the report's own lines after it aside). */
  boolean endsWithDone() {
    for (int i = tail.size() - 1; i >= 0; i--) {
      String text = withoutTime(tail.get(i));
      if (!text.startsWith("report.html")) {
        return text.startsWith("done: ");
      }
    }
    return false;
  }

  /** The last line without its time stamp, or null. */
  String lastMessage() {
    return tail.isEmpty() ? null : withoutTime(tail.get(tail.size() - 1));
  }

  /** Time from the first to the last line (includes any pause between a stop and a resumption), or null. */
  Duration span() {
    return first == null || last == null ? null : Duration.between(first, last);
  }

  static String withoutTime(String line) {
    return time(line) == null ? line : line.substring(20);
  }

  private static LocalDateTime time(String line) {
    if (line.length() < 20 || line.charAt(19) != ' ') {
      return null;
    }
    try {
      return LocalDateTime.parse(line.substring(0, 19), TIME);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
