package io.tidemark.cluster.kubernetes.helm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The read side of the OCI distribution API on loopback (the JDK's HttpServer), enough for {@code
 * helm pull oci://}: {@code /v2/}, {@code /v2/<name>/manifests/<tag>}, {@code
 * /v2/<name>/blobs/<digest>} and {@code /v2/<name>/tags/list}. With a password set, every {@code
 * /v2} request needs a bearer token that its token service ({@code /token}) hands out for Basic
 * credentials, as Docker's token authentication does; the challenge names realm, service and scope.
 */
final class OciRegistryServer implements AutoCloseable {

  static final String USER = "puller";
  private static final Pattern PATH = Pattern.compile("/v2/(.+)/(manifests|blobs|tags)/(.+)");

  private final HttpServer server;
  private final String password;
  private final String token = "tok-" + UUID.randomUUID();
  private final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> tags = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();

  /** A registry that asks for {@link #USER} and {@code password}, or anyone when null. */
  OciRegistryServer(String password) throws IOException {
    this.password = password;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The {@code oci://} URL of {@code path} in this registry. */
  String url(String path) {
    return "oci://127.0.0.1:" + server.getAddress().getPort() + "/" + path;
  }

  /** The URL prefix credentials for this registry name. */
  String prefix() {
    return "oci://127.0.0.1:" + server.getAddress().getPort();
  }

  int requests() {
    return requests.get();
  }

  /** Stores {@code archive} as Helm pushes a chart: a config blob, the chart layer, a manifest. */
  void push(String name, String tag, byte[] archive) {
    pushStating(name, tag, archive, ChartCache.sha256(archive));
  }

  /** As {@link #push}, but the manifest states {@code layerDigest} for the chart layer. */
  void pushStating(String name, String tag, byte[] archive, String layerDigest) {
    byte[] config =
        "{\"name\":\"mysql\",\"version\":\"11.1.2\",\"apiVersion\":\"v2\"}"
            .getBytes(StandardCharsets.UTF_8);
    String configDigest = ChartCache.sha256(config);
    blobs.put(name + "@" + configDigest, config);
    blobs.put(name + "@" + layerDigest, archive);
    String manifest =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":{\"mediaType\":\"application/vnd.cncf.helm.config.v1+json\","
            + "\"digest\":\""
            + configDigest
            + "\",\"size\":"
            + config.length
            + "},\"layers\":[{\"mediaType\":\""
            + OciChartRegistry.CHART_LAYER
            + "\",\"digest\":\""
            + layerDigest
            + "\",\"size\":"
            + archive.length
            + "}],\"annotations\":{\"org.opencontainers.image.title\":\"mysql\"}}";
    manifests.put(name + ":" + tag, manifest.getBytes(StandardCharsets.UTF_8));
    tags.computeIfAbsent(name, n -> new TreeSet<>()).add(tag);
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/token")) {
        token(exchange);
        return;
      }
      Matcher m = PATH.matcher(path);
      String name = m.matches() ? m.group(1) : "";
      if (password != null
          && !("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        String realm = "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
        exchange
            .getResponseHeaders()
            .add(
                "WWW-Authenticate",
                "Bearer realm=\""
                    + realm
                    + "\",service=\"loopback-registry\",scope=\"repository:"
                    + name
                    + ":pull\"");
        send(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}", "application/json");
        return;
      }
      if (path.equals("/v2/")) {
        send(exchange, 200, "{}", "application/json");
        return;
      }
      if (!m.matches()) {
        send(exchange, 404, "{\"errors\":[{\"code\":\"NAME_UNKNOWN\"}]}", "application/json");
        return;
      }
      byte[] body =
          switch (m.group(2)) {
            case "manifests" -> manifests.get(name + ":" + m.group(3));
            case "blobs" -> blobs.get(name + "@" + m.group(3));
            default ->
                tags.containsKey(name)
                    ? ("{\"name\":\""
                            + name
                            + "\",\"tags\":[\""
                            + String.join("\",\"", tags.get(name))
                            + "\"]}")
                        .getBytes(StandardCharsets.UTF_8)
                    : null;
          };
      if (body == null) {
        String code = tags.containsKey(name) ? "MANIFEST_UNKNOWN" : "NAME_UNKNOWN";
        send(exchange, 404, "{\"errors\":[{\"code\":\"" + code + "\"}]}", "application/json");
        return;
      }
      String type =
          m.group(2).equals("manifests") ? OciChartRegistry.MANIFEST : "application/octet-stream";
      exchange.getResponseHeaders().add("Content-Type", type);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  /** The token service: a pull token for the right Basic credentials, 401 otherwise. */
  private void token(HttpExchange exchange) throws IOException {
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((USER + ":" + password).getBytes(StandardCharsets.UTF_8));
    if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      send(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}", "application/json");
      return;
    }
    send(exchange, 200, "{\"token\":\"" + token + "\"}", "application/json");
  }

  private static void send(HttpExchange exchange, int status, String body, String type)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
