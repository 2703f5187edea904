package io.sr4j.data.download;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local HTTP server on 127.0.0.1 (random port) serving byte arrays by file name, honouring or ignoring
 * {@code Range: bytes=N-}, and able to drop the connection after a number of body bytes. Used by the download
 * tests of both modules (the trainer's through this module's test jar).
 */
public final class ArchiveServer implements AutoCloseable {
  /** One request: its path and Range header ({@code null} when absent). */
  public record Request(String path, String range) {}

  public final Map<String, byte[]> files = new ConcurrentHashMap<>();
  public final List<Request> requests = new CopyOnWriteArrayList<>();
  /** When >= 0, the next response is cut after this many body bytes (then the setting resets to -1). */
  public final AtomicLong cutNextAfterBytes = new AtomicLong(-1);
  public volatile boolean honourRange = true;
  private final HttpServer server;

  public ArchiveServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/div2k/");
  }

  private void handle(HttpExchange exchange) throws IOException {
    String name = exchange.getRequestURI().getPath().replaceFirst("^/div2k/", "");
    String range = exchange.getRequestHeaders().getFirst("Range");
    requests.add(new Request(name, range));
    byte[] body = files.get(name);
    if (body == null) {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
      return;
    }
    int from = 0;
    if (range != null && honourRange) {
      from = Integer.parseInt(range.replaceFirst("^bytes=(\\d+)-$", "$1"));
      if (from >= body.length) {
        exchange.getResponseHeaders().add("Content-Range", "bytes */" + body.length);
        exchange.sendResponseHeaders(416, -1);
        exchange.close();
        return;
      }
      exchange.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
      exchange.sendResponseHeaders(206, body.length - from);
    } else {
      exchange.sendResponseHeaders(200, body.length);
    }
    long cut = cutNextAfterBytes.getAndSet(-1);
    int end = cut >= 0 ? (int) Math.min(body.length, from + cut) : body.length;
    OutputStream out = exchange.getResponseBody();
    try {
      out.write(body, from, end - from);
      out.flush();
    } finally {
      exchange.close(); // with body bytes missing, this drops the connection
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
