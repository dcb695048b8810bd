package io.tidemark.cluster.swarm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient.Request;
import com.github.dockerjava.transport.DockerHttpClient.Response;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.tidemark.cluster.TargetException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The Docker Engine API as raw JSON trees, over docker-java's HTTP transport (unix socket or TCP).
 * Raw trees, not docker-java's model classes, because drift must see every field the engine
 * returns, including the ones a client library does not model.
 */
public final class DockerApi implements AutoCloseable {

  /** The API version of Docker Engine 20.10, the oldest this project supports. */
  public static final String API_VERSION = "v1.41";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};
  private static final TypeReference<List<Map<String, Object>>> ARRAY = new TypeReference<>() {};

  private final URI host;
  private final Supplier<DockerHttpClient> clients;
  private volatile DockerHttpClient http;
  // Replaced clients, closed with this one: requests of other threads may still be on them.
  private final List<DockerHttpClient> retired = new CopyOnWriteArrayList<>();

  private DockerApi(URI host, Supplier<DockerHttpClient> clients) {
    this.host = host;
    this.clients = clients;
    this.http = clients.get();
  }

  /**
   * Connects to {@code dockerHost} ({@code unix:///path} or {@code tcp://host:port}); when empty,
   * to {@code DOCKER_HOST} or else the local socket, as the docker CLI does.
   */
  public static DockerApi connect(String dockerHost, Duration timeout) {
    URI host = resolve(dockerHost);
    return new DockerApi(
        host,
        () ->
            new ZerodepDockerHttpClient.Builder()
                .dockerHost(host)
                .connectionTimeout(timeout)
                .responseTimeout(timeout)
                .maxConnections(16)
                .build());
  }

  /** The engine {@code dockerHost} names: itself, else {@code DOCKER_HOST}, else the socket. */
  public static URI resolve(String dockerHost) {
    DefaultDockerClientConfig.Builder config =
        DefaultDockerClientConfig.createDefaultConfigBuilder();
    if (dockerHost != null && !dockerHost.isBlank()) {
      config.withDockerHost(dockerHost);
    }
    return config.build().getDockerHost();
  }

  public URI host() {
    return host;
  }

  public Map<String, Object> getObject(String path) throws TargetException {
    return read(call(Request.Method.GET, path, null), OBJECT);
  }

  public List<Map<String, Object>> getArray(String path) throws TargetException {
    return read(call(Request.Method.GET, path, null), ARRAY);
  }

  /** POSTs a JSON body and returns the JSON object the engine answers (empty for no content). */
  public Map<String, Object> post(String path, Object body) throws TargetException {
    byte[] answer = call(Request.Method.POST, path, body);
    return answer.length == 0 ? Map.of() : read(answer, OBJECT);
  }

  public void delete(String path) throws TargetException {
    call(Request.Method.DELETE, path, null);
  }

  /** Whether the engine answers at all. */
  public void ping() throws TargetException {
    call(Request.Method.GET, "/_ping", null);
  }

  /** URL-encodes a query value. */
  public static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** A URL-encoded {@code filters=} query value: {@code {"service":["a","b"]}}. */
  public static String filter(String name, List<String> values) {
    return filters(Map.of(name, values));
  }

  /** A URL-encoded {@code filters=} query value of several filters. */
  public static String filters(Map<String, List<String>> filters) {
    try {
      return query(JSON.writeValueAsString(filters));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] call(Request.Method method, String path, Object body) throws TargetException {
    byte[] bytes = null;
    if (body != null) {
      try {
        bytes = JSON.writeValueAsBytes(body);
      } catch (IOException e) {
        throw new TargetException("cannot encode request to " + path, e);
      }
    }
    DockerHttpClient client = http;
    try {
      return exchange(client, method, path, bytes);
    } catch (IOException | RuntimeException e) {
      // A restarted engine leaves every pooled connection dead, and each would fail one request:
      // start over with new connections, and send a request that is safe to repeat once more.
      reconnect(client);
      boolean idempotent = method == Request.Method.GET || method == Request.Method.DELETE;
      if (!idempotent) {
        throw notAnswered(e);
      }
      try {
        return exchange(http, method, path, bytes);
      } catch (IOException | RuntimeException again) {
        throw notAnswered(again);
      }
    }
  }

  private byte[] exchange(DockerHttpClient client, Request.Method method, String path, byte[] body)
      throws IOException, DockerApiException {
    Request.Builder request = Request.builder().method(method).path("/" + API_VERSION + path);
    if (body != null) {
      request.putHeader("Content-Type", "application/json").body(new ByteArrayInputStream(body));
    }
    try (Response response = client.execute(request.build());
        InputStream in = response.getBody()) {
      byte[] answer = in == null ? new byte[0] : in.readAllBytes();
      int status = response.getStatusCode();
      if (status >= 400) {
        throw new DockerApiException(status, method + " " + path, errorMessage(answer));
      }
      return answer;
    }
  }

  private TargetException notAnswered(Exception e) {
    return new TargetException(
        "Docker Engine at " + host + " did not answer: " + e.getMessage(), e);
  }

  /** Replaces {@code broken} with a new client, once however many threads saw it fail. */
  private synchronized void reconnect(DockerHttpClient broken) {
    if (http == broken) {
      retired.add(broken);
      http = clients.get();
    }
  }

  private static String errorMessage(byte[] answer) {
    try {
      Object message = JSON.readValue(answer, OBJECT).get("message");
      return message == null ? new String(answer, StandardCharsets.UTF_8) : message.toString();
    } catch (IOException e) {
      return new String(answer, StandardCharsets.UTF_8);
    }
  }

  private static <T> T read(byte[] bytes, TypeReference<T> type) throws TargetException {
    try {
      return JSON.readValue(bytes, type);
    } catch (IOException e) {
      throw new TargetException("Docker Engine answered something that is not JSON", e);
    }
  }

  @Override
  public void close() {
    try {
      for (DockerHttpClient old : retired) {
        old.close();
      }
      http.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
