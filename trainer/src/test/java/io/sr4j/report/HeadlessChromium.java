package io.sr4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's headless Chromium driven through the DevTools protocol over a WebSocket (java.net.http): open a page,
 * evaluate script, click and type like a user, and collect console errors and the URLs the page requested.
 */
final class HeadlessChromium implements AutoCloseable {
  static final Path BINARY = Path.of(System.getProperty("sr4j.chromium", "/usr/bin/chromium"));
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

  private final Path profile;
  private final Process process;
  private final StringBuffer stderr = new StringBuffer();
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<JsonNode> events = new ArrayList<>();

  /**
   * Starts Chromium with a fresh profile in {@code profile}. Skips the calling test when Chromium is not installed,
   * except under CI (CI=true), where .ci/run installs it and its absence is a failure.
   */
  static HeadlessChromium launch(Path profile) throws IOException, InterruptedException {
    if (!Files.isExecutable(BINARY)) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(BINARY + " is missing; .ci/run installs Debian's chromium package");
      }
      Assumptions.abort(BINARY + " is not installed (apt-get install chromium); browser checks skipped");
    }
    return new HeadlessChromium(profile);
  }

  private HeadlessChromium(Path profile) throws IOException, InterruptedException {
    this.profile = profile;
    process = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--hide-scrollbars", "--window-size=1280,900", "--user-data-dir=" + profile, "--remote-debugging-port=0",
        "about:blank").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    CompletableFuture<String> endpoint = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          stderr.append(line).append('\n');
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            endpoint.complete(m.group(1));
          }
        }
      } catch (IOException e) {
        endpoint.completeExceptionally(e);
      }
      endpoint.completeExceptionally(new IOException("chromium ended before listening: " + stderr));
    }, "chromium-stderr");
    reader.setDaemon(true);
    reader.start();
    try {
      URI browser = URI.create(endpoint.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
      HttpClient http = HttpClient.newHttpClient();
      String pageSocket = null;
      for (int attempt = 0; attempt < 50 && pageSocket == null; attempt++) {
        HttpResponse<String> list = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + browser.getPort() + "/json/list")).build(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode target : JSON.readTree(list.body())) {
          if (target.path("type").asText().equals("page")) {
            pageSocket = target.path("webSocketDebuggerUrl").asText();
          }
        }
        if (pageSocket == null) {
          Thread.sleep(100);
        }
      }
      if (pageSocket == null) {
        throw new IOException("chromium opened no page");
      }
      socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new Listener()).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IOException("cannot drive chromium: " + e + "\n" + stderr, e);
    }
    send("Runtime.enable", Map.of());
    send("Log.enable", Map.of());
    send("Page.enable", Map.of());
    send("Network.enable", Map.of());
  }

  /** Receives protocol messages (which may arrive in several frames): replies and events. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder message = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      message.append(data);
      if (last) {
        try {
          JsonNode msg = JSON.readTree(message.toString());
          if (msg.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
            if (f != null) {
              f.complete(msg);
            }
          } else {
            synchronized (events) {
              events.add(msg);
              events.notifyAll();
            }
          }
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
        message.setLength(0);
      }
      ws.request(1);
      return null;
    }
  }

  /** Sends a protocol command and returns its result (an AssertionError when the browser answers with an error). */
  JsonNode send(String method, Map<String, ?> params) {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
    msg.set("params", JSON.valueToTree(params));
    try {
      socket.sendText(JSON.writeValueAsString(msg), true).get(30, TimeUnit.SECONDS);
      JsonNode r = reply.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (r.has("error")) {
        throw new AssertionError(method + ": " + r.get("error"));
      }
      return r.path("result");
    } catch (Exception e) {
      throw new AssertionError(method + " failed: " + e + "\n" + stderr, e);
    }
  }

  /** Opens {@code url} and waits for its load event (scripts have run, images have loaded). */
  void open(String url) throws InterruptedException {
    int seen;
    synchronized (events) {
      seen = events.size();
    }
    send("Page.navigate", Map.of("url", url));
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    synchronized (events) {
      while (events.subList(seen, events.size()).stream()
          .noneMatch(e -> e.path("method").asText().equals("Page.loadEventFired"))) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(url + " did not finish loading in " + TIMEOUT);
        }
        events.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /** The value of a script expression (JSON-serialisable; promises are awaited). */
  JsonNode eval(String expression) {
    JsonNode r = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
    if (r.has("exceptionDetails")) {
      throw new AssertionError("script failed: " + r.get("exceptionDetails") + "\nin: " + expression);
    }
    return r.path("result").path("value");
  }

  /** A left click at the centre of the first element matching {@code selector}, scrolled into view first. */
  void click(String selector) {
    JsonNode box = eval("(() => { const e = document.querySelector(" + quote(selector) + ");"
        + " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
        + " return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()");
    double x = box.get("x").asDouble();
    double y = box.get("y").asDouble();
    send("Input.dispatchMouseEvent", Map.of("type", "mouseMoved", "x", x, "y", y));
    send("Input.dispatchMouseEvent", Map.of("type", "mousePressed", "x", x, "y", y, "button", "left", "clickCount", 1));
    send("Input.dispatchMouseEvent", Map.of("type", "mouseReleased", "x", x, "y", y, "button", "left", "clickCount", 1));
  }

  /** Presses a key on the focused element: a digit, or ArrowLeft / ArrowRight. */
  void press(String key) {
    boolean digit = key.length() == 1 && Character.isDigit(key.charAt(0));
    int code = digit ? key.charAt(0) : key.equals("ArrowLeft") ? 37 : 39;
    Map<String, Object> down = digit
        ? Map.of("type", "keyDown", "key", key, "code", "Digit" + key, "text", key, "windowsVirtualKeyCode", code)
        : Map.of("type", "rawKeyDown", "key", key, "code", key, "windowsVirtualKeyCode", code);
    send("Input.dispatchKeyEvent", down);
    send("Input.dispatchKeyEvent", Map.of("type", "keyUp", "key", key, "windowsVirtualKeyCode", code));
  }

  /** Console errors, uncaught exceptions and failed loads reported so far. */
  List<String> errors() {
    List<String> out = new ArrayList<>();
    synchronized (events) {
      for (JsonNode e : events) {
        String method = e.path("method").asText();
        JsonNode p = e.path("params");
        if (method.equals("Runtime.exceptionThrown")) {
          out.add("exception: " + p.path("exceptionDetails"));
        } else if (method.equals("Runtime.consoleAPICalled")
            && (p.path("type").asText().equals("error") || p.path("type").asText().equals("assert"))) {
          out.add("console." + p.path("type").asText() + ": " + p.path("args"));
        } else if (method.equals("Log.entryAdded") && p.path("entry").path("level").asText().equals("error")) {
          out.add("log: " + p.path("entry").path("text").asText() + " " + p.path("entry").path("url").asText());
        }
      }
    }
    return out;
  }

  /** The URLs the pages requested so far. */
  List<String> requests() {
    List<String> out = new ArrayList<>();
    synchronized (events) {
      for (JsonNode e : events) {
        if (e.path("method").asText().equals("Network.requestWillBeSent")) {
          out.add(e.path("params").path("request").path("url").asText());
        }
      }
    }
    return out;
  }

  static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      send("Browser.close", Map.of());
    } catch (AssertionError e) {
      // ended below either way
    }
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    // the profile's SingletonSocket links to a folder of Chromium's own in the system temp folder
    Path link = profile.resolve("SingletonSocket");
    if (Files.isSymbolicLink(link)) {
      Path own = Files.readSymbolicLink(link).getParent();
      if (own != null && own.getFileName().toString().startsWith("org.chromium.Chromium.")) {
        try (var files = Files.walk(own)) {
          for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
      Files.delete(link);
    }
  }
}
