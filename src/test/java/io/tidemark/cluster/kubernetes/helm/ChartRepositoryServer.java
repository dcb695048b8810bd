package io.tidemark.cluster.kubernetes.helm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A classic Helm chart repository on loopback (the JDK's HttpServer): {@code /charts/index.yaml}
 * and the archives it names, behind Basic auth when a password is set. It counts the requests it
 * answered, so a test can tell a cached chart from a fetched one.
 */
final class ChartRepositoryServer implements AutoCloseable {

  static final String USER = "reader";

  private final HttpServer server;
  private final String password;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final List<String> entries = new ArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();

  /** A repository that asks for {@link #USER} and {@code password}, or none when null. */
  ChartRepositoryServer(String password) throws IOException {
    this.password = password;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/charts";
  }

  int requests() {
    return requests.get();
  }

  /**
   * Serves {@code archive} as {@code chart-version.tgz}, its index entry stating {@code digestHex}.
   */
  synchronized void publish(String chart, String version, byte[] archive, String digestHex) {
    String file = chart + "-" + version + ".tgz";
    files.put("/charts/" + file, archive);
    entries.add(
        String.format(
            "    - name: %s%n      version: %s%n      digest: %s%n      urls:%n        - %s%n",
            chart, version, digestHex, file));
    // Every chart a test publishes has the same name: one list under it, as Helm writes.
    String index =
        "apiVersion: v1\nentries:\n  "
            + chart
            + ":\n"
            + String.join("", entries)
            + "generated: \"2026-12-02T00:00:00Z\"\n";
    files.put("/charts/index.yaml", index.getBytes(StandardCharsets.UTF_8));
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    try (exchange) {
      if (password != null && !authorized(exchange)) {
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"charts\"");
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      byte[] body = files.get(exchange.getRequestURI().getPath());
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  private boolean authorized(HttpExchange exchange) {
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((USER + ":" + password).getBytes(StandardCharsets.UTF_8));
    return expected.equals(exchange.getRequestHeaders().getFirst("Authorization"));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
