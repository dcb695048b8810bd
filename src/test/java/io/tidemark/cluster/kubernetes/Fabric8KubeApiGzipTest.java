package io.tidemark.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A list as a real API server sends one that is large: gzipped (it compresses answers over 128 KiB
 * for clients that accept it, as kubectl does), its items without apiVersion and kind. Served by a
 * plain HTTP server, since the mock server cannot send a gzip body.
 */
class Fabric8KubeApiGzipTest {

  private static final String CORE =
      "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":["
          + "{\"name\":\"configmaps\",\"singularName\":\"configmap\",\"namespaced\":true,"
          + "\"kind\":\"ConfigMap\",\"verbs\":[\"get\",\"list\",\"patch\"]}]}";
  private static final String LIST =
      "{\"kind\":\"ConfigMapList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"9\"},"
          + "\"items\":[{\"metadata\":{\"name\":\"a\",\"namespace\":\"shop\",\"resourceVersion\":\"7\","
          + "\"labels\":{\"io.tidemark/target\":\"shop\"}},\"data\":{\"k\":\"v\"}}]}";

  private final List<String> acceptEncodings = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1", exchange -> answer(exchange, CORE, false));
    server.createContext(
        "/api/v1/configmaps",
        exchange -> {
          acceptEncodings.add(
              String.valueOf(exchange.getRequestHeaders().getFirst("Accept-Encoding")));
          answer(exchange, LIST, true);
        });
    server.start();
    client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder()
                    .withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort())
                    .withNamespace("shop")
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.stop(0);
  }

  @Test
  void aGzippedListIsReadAndItsItemsGetTheirKind() throws Exception {
    List<Map<String, Object>> items =
        new Fabric8KubeApi(client).list("v1", "ConfigMap", "io.tidemark/target=shop");

    assertThat(acceptEncodings).singleElement().asString().contains("gzip");
    assertThat(items).hasSize(1);
    Map<String, Object> item = items.get(0);
    assertThat(item).containsEntry("apiVersion", "v1").containsEntry("kind", "ConfigMap");
    assertThat(item.keySet()).startsWith("apiVersion", "kind");
    assertThat(LiveObjects.key(item).toString()).isEqualTo("ConfigMap/shop/a");
    assertThat(item).containsEntry("data", Map.of("k", "v"));
  }

  private static void answer(HttpExchange exchange, String json, boolean gzip) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    if (gzip) {
      ByteArrayOutputStream zipped = new ByteArrayOutputStream();
      try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
        out.write(body);
      }
      body = zipped.toByteArray();
      exchange.getResponseHeaders().add("Content-Encoding", "gzip");
    }
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }
}
