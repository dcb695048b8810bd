package io.tidemark.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's headless Chromium kept running and driven over the DevTools protocol, for what one
 * {@code --dump-dom} cannot show: typing into a form, reloading a tab, opening a second tab. Each
 * tab is a {@link Tab} that navigates and evaluates JavaScript.
 */
final class DevToolsBrowser implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();

  private DevToolsBrowser(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts Chromium with a fresh profile under {@code workDir}; the test is skipped without it. */
  static DevToolsBrowser start(Path workDir) throws Exception {
    Path binary = Path.of("/usr/bin/chromium");
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, "chromium"))) {
        binary = Path.of(dir, "chromium");
      }
    }
    Assumptions.assumeTrue(
        Files.isExecutable(binary), "chromium is not installed (scripts/run-tests.sh installs it)");
    Path profile = Files.createTempDirectory(workDir, "devtools");
    Process process =
        new ProcessBuilder(
                binary.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                "--remote-debugging-port=0",
                "--user-data-dir=" + profile,
                "about:blank")
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("chromium.log").toFile())
            .start();
    // Chromium writes the port it chose to this file once DevTools listens.
    Path portFile = profile.resolve("DevToolsActivePort");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> Files.isRegularFile(portFile) && Files.readAllLines(portFile).size() >= 1);
    int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
    return new DevToolsBrowser(process, port);
  }

  /** The tab Chromium opened at start. */
  Tab firstTab() throws Exception {
    for (JsonNode target : JSON.readTree(get("/json/list"))) {
      if (target.path("type").asText().equals("page")) {
        return new Tab(URI.create(target.path("webSocketDebuggerUrl").asText()));
      }
    }
    throw new AssertionError("chromium has no tab open");
  }

  /** A new tab (its own session storage), opened on {@code url}. */
  Tab newTab(URI url) throws Exception {
    HttpResponse<String> opened =
        http.send(
            HttpRequest.newBuilder(devtools("/json/new?" + url))
                .PUT(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new Tab(URI.create(JSON.readTree(opened.body()).path("webSocketDebuggerUrl").asText()));
  }

  private String get(String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(devtools(path)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private URI devtools(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  @Override
  public void close() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** One browser tab over its own DevTools WebSocket. */
  final class Tab implements WebSocket.Listener {

    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final StringBuilder partial = new StringBuilder();

    private Tab(URI debugger) throws Exception {
      socket = http.newWebSocketBuilder().buildAsync(debugger, this).get(30, TimeUnit.SECONDS);
    }

    /** Loads {@code url} in this tab. */
    void navigate(URI url) throws Exception {
      call("Page.navigate", Map.of("url", url.toString()));
    }

    /** Reloads this tab: its session storage stays, as in a browser. */
    void reload() throws Exception {
      call("Page.reload", Map.of());
    }

    /** The value of a JavaScript expression evaluated in the page (a string, number or boolean). */
    JsonNode eval(String expression) throws Exception {
      JsonNode result =
          call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
      if (result.has("exceptionDetails")) {
        throw new AssertionError(expression + " threw " + result.path("exceptionDetails"));
      }
      return result.path("result").path("value");
    }

    /** The text of the page's body, as a reader sees it. */
    String text() throws Exception {
      return eval("document.body ? document.body.innerText : ''").asText();
    }

    private JsonNode call(String method, Map<String, Object> params) throws Exception {
      int id = ids.incrementAndGet();
      ObjectNode message = JSON.createObjectNode();
      message.put("id", id).put("method", method).set("params", JSON.valueToTree(params));
      CompletableFuture<JsonNode> answer = new CompletableFuture<>();
      pending.put(id, answer);
      socket.sendText(JSON.writeValueAsString(message), true).get(30, TimeUnit.SECONDS);
      JsonNode reply = answer.get(30, TimeUnit.SECONDS);
      if (reply.has("error")) {
        throw new AssertionError(method + " failed: " + reply.path("error"));
      }
      return reply.path("result");
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          JsonNode message = JSON.readTree(partial.toString());
          CompletableFuture<JsonNode> answer = pending.remove(message.path("id").asInt(-1));
          if (answer != null) {
            answer.complete(message);
          }
        } catch (Exception e) {
          pending.values().forEach(f -> f.completeExceptionally(e));
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }
  }
}
