package io.tidemark.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.testing.Executables;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code prometheus} started as a child process on a free loopback port with its own
 * configuration and storage, and read back through its HTTP API. Closing it stops the process.
 */
final class PrometheusServer implements AutoCloseable {

  private final Process process;
  private final URI base;
  private final Path log;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();

  private PrometheusServer(Process process, URI base, Path log) {
    this.process = process;
    this.base = base;
    this.log = log;
  }

  /**
   * Starts Prometheus scraping {@code metricsUrl} every second and evaluating {@code ruleFiles}
   * every second.
   */
  static PrometheusServer start(Path dir, URI metricsUrl, List<Path> ruleFiles) throws IOException {
    int port = freePort();
    StringBuilder rules = new StringBuilder();
    for (Path file : ruleFiles) {
      rules.append("  - '").append(file.toAbsolutePath()).append("'\n");
    }
    String config =
        """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        rule_files:
        %s
        scrape_configs:
          - job_name: tidemark
            metrics_path: %s
            static_configs:
              - targets: ['%s:%d']
        """
            .formatted(
                rules.isEmpty() ? "  []" : rules.toString().stripTrailing(),
                metricsUrl.getPath(),
                metricsUrl.getHost(),
                metricsUrl.getPort());
    Path configFile = dir.resolve("prometheus.yml");
    Files.writeString(configFile, config);
    Path log = dir.resolve("prometheus.log");
    Process process =
        new ProcessBuilder(
                Executables.require("prometheus", "prometheus").toString(),
                "--config.file=" + configFile,
                "--storage.tsdb.path=" + Files.createDirectories(dir.resolve("tsdb")),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    return new PrometheusServer(process, URI.create("http://127.0.0.1:" + port), log);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The {@code data} of an instant query; fails on an error answer. */
  JsonNode query(String promql) throws IOException, InterruptedException {
    return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
  }

  /** The {@code data} of a GET on the HTTP API ({@code /api/v1/...}); fails on an error answer. */
  JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
    if (!process.isAlive()) {
      throw new AssertionError("prometheus exited: " + Files.readString(log));
    }
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(base.resolve(pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode body = json.readTree(response.body());
    if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
      throw new AssertionError(pathAndQuery + " answered " + response.body());
    }
    return body.path("data");
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
