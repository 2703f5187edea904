package io.sr4j.data.download;

import io.sr4j.data.BadInputException;
import io.sr4j.data.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads a URL to a file through {@code <file>.part}, resuming a partial download with an HTTP Range request
 * from the size of the {@code .part} file. A server that ignores the Range header (answers 200) is handled by
 * starting over cleanly. The received size must equal the announced length; a connection lost mid-way is retried
 * (resuming) up to the given number of attempts, and the {@code .part} file is kept for a later run otherwise.
 */
public final class ResumableDownload {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (?:(\\d+)-(\\d+)|\\*)/(\\d+|\\*)");
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration HEADERS_TIMEOUT = Duration.ofMinutes(2);

  private final HttpClient client;
  private final int attempts;

  /** A downloader making up to {@code attempts} requests per file. */
  public ResumableDownload(int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be >= 1, got " + attempts);
    }
    this.attempts = attempts;
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(CONNECT_TIMEOUT)
        .build();
  }

  /** The {@code .part} file a download of {@code target} goes through. */
  public static Path partFile(Path target) {
    return target.resolveSibling(target.getFileName() + ".part");
  }

  /** Downloads {@code url} to {@code target}; returns the number of bytes of the complete file. */
  public long fetch(URI url, Path target, Progress progress) throws InterruptedException {
    Path part = partFile(target);
    IOException lastFailure = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      try {
        OptionalLong complete = attempt(url, part, target.getFileName().toString(), progress);
        if (complete.isPresent()) {
          Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
          return complete.getAsLong();
        }
      } catch (IOException e) {
        lastFailure = e;
        if (attempt < attempts) {
          progress.info(target.getFileName() + ": " + describe(e) + "; resuming (attempt " + (attempt + 1) + " of "
              + attempts + ")");
        }
      }
    }
    long have = sizeOrZero(part);
    throw new BadInputException(url + ": download interrupted after " + have + " bytes ("
        + (lastFailure == null ? "restarted too often" : describe(lastFailure))
        + "); run the command again to resume from " + part);
  }

  /**
   * One request. Returns the total size when {@code part} is complete, empty when it had to be discarded and the
   * next attempt must start over; throws when the connection failed (the bytes received so far stay in
   * {@code part}).
   */
  private OptionalLong attempt(URI url, Path part, String name, Progress progress)
      throws IOException, InterruptedException {
    long have = sizeOrZero(part);
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(HEADERS_TIMEOUT).GET();
    if (have > 0) {
      request.header("Range", "bytes=" + have + "-");
    }
    HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      int status = response.statusCode();
      long total;
      boolean append;
      if (status == 206) {
        long[] range = contentRange(response, url);
        if (range[0] != have) {
          progress.info(name + ": the server resumed at byte " + range[0] + " instead of " + have + "; starting over");
          Files.deleteIfExists(part);
          return OptionalLong.empty();
        }
        total = range[2];
        append = true;
      } else if (status == 200) {
        if (have > 0) {
          progress.info(name + ": the server does not resume downloads; starting over");
        }
        total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        append = false;
      } else if (status == 416 && have > 0) {
        long[] range = contentRange(response, url);
        if (range[2] == have) {
          return OptionalLong.of(have); // the .part file was already complete
        }
        Files.deleteIfExists(part);
        return OptionalLong.empty();
      } else {
        throw new BadInputException(url + ": the server answered HTTP " + status);
      }
      long received = append ? have : 0;
      progress.start("downloading " + name, total, "B");
      progress.advance(received);
      try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
        byte[] buffer = new byte[1 << 16];
        for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
          out.write(buffer, 0, n);
          received += n;
          progress.advance(n);
        }
      } finally {
        progress.finish();
      }
      if (total >= 0 && received < total) {
        throw new IOException("connection closed after " + received + " of " + total + " bytes");
      }
      if (total >= 0 && received > total) {
        Files.deleteIfExists(part);
        throw new BadInputException(url + ": received " + received + " bytes, more than the announced " + total);
      }
      return OptionalLong.of(received);
    }
  }

  /** {@code [first, last, total]} of a Content-Range header ({@code -1} for {@code *}). */
  private static long[] contentRange(HttpResponse<?> response, URI url) {
    String header = response.headers().firstValue("Content-Range").orElse("");
    Matcher m = CONTENT_RANGE.matcher(header.trim());
    if (!m.matches()) {
      throw new BadInputException(url + ": HTTP " + response.statusCode() + " with an unreadable Content-Range '"
          + header + "'");
    }
    return new long[] {
      m.group(1) == null ? -1 : Long.parseLong(m.group(1)),
      m.group(2) == null ? -1 : Long.parseLong(m.group(2)),
      m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3))
    };
  }

  private static long sizeOrZero(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private static String describe(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
