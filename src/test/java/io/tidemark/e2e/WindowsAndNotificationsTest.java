package io.tidemark.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.tidemark.cluster.swarm.TestSwarm;
import io.tidemark.testing.GitFixture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The running service with a target in apply mode under an always-open deny window and a
 * notification channel: the drift is reported and not applied, the report says why, and the
 * receiver hears about the drift once although two runs saw it.
 */
@QuarkusTest
@TestProfile(WindowsAndNotificationsTest.Profile.class)
class WindowsAndNotificationsTest {

  static final String STACK = "tmnotify";
  static final String TOKEN = "notify-token";

  static HttpServer receiver;
  static final List<String> bodies = new CopyOnWriteArrayList<>();
  static final List<String> signatures = new CopyOnWriteArrayList<>();

  /** A repository with one stack; a target that may never apply; a signed JSON channel. */
  public static class Profile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      try {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext(
            "/hook",
            exchange -> {
              bodies.add(
                  new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
              signatures.add(exchange.getRequestHeaders().getFirst("X-Tidemark-Signature"));
              exchange.sendResponseHeaders(204, -1);
              exchange.close();
            });
        receiver.start();
        Path dir = Files.createTempDirectory("tidemark-notify");
        Path key = Files.writeString(dir.resolve("hmac.key"), "notify-key\n");
        GitFixture repo = GitFixture.create(dir.resolve("git"));
        repo.write(
                "stack/docker-stack.yml",
                """
                services:
                  web:
                    image: %s
                    command: ["sleep", "3600"]
                """
                    .formatted(TestSwarm.IMAGE))
            .commitAndPush("web");
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        return Map.ofEntries(
            // Other suites may hold 8081 on a shared machine: take any free port.
            Map.entry("quarkus.http.test-port", "0"),
            Map.entry("tidemark.data-dir", dir.resolve("data").toString()),
            Map.entry("tidemark.git.url", repo.url()),
            Map.entry("tidemark.git.poll-interval", "1h"),
            Map.entry("tidemark.targets.held.kind", "swarm"),
            Map.entry("tidemark.targets.held.path", "stack"),
            Map.entry("tidemark.targets.held.stack", STACK),
            Map.entry("tidemark.targets.held.mode", "apply"),
            Map.entry("tidemark.targets.held.windows[0].kind", "deny"),
            Map.entry("tidemark.targets.held.windows[0].schedule", "* * * * *"),
            Map.entry("tidemark.targets.held.windows[0].duration", "1h"),
            Map.entry("tidemark.targets.held.windows[0].time-zone", "Europe/Paris"),
            Map.entry("tidemark.api.token", TOKEN),
            Map.entry("tidemark.notifications.ops.url", hook),
            Map.entry("tidemark.notifications.ops.events", "drift,apply-failed"),
            Map.entry("tidemark.notifications.ops.secret-file", key.toString()),
            Map.entry("tidemark.notifications.ops.backoff", "100ms"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @AfterAll
  static void cleanUp() throws Exception {
    receiver.stop(0);
    try (var api = TestSwarm.connect()) {
      TestSwarm.removeAll(api, STACK + "_");
    }
  }

  @Test
  void aDenyWindowHoldsTheApplyAndTheDriftIsNotifiedOnce() throws Exception {
    // The start-up poll ran already or runs now; this run comes after it and sees the same drift.
    JsonPath report =
        given()
            .header("Authorization", "Bearer " + TOKEN)
            .post("/api/targets/held/sync?wait=60")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();

    assertThat(report.getString("result")).isEqualTo("DRIFT_DETECTED");
    assertThat(report.getBoolean("applied")).isFalse();
    assertThat(report.getString("note"))
        .startsWith("apply held by sync window 0 (deny '* * * * *' for 1h Europe/Paris, until ")
        .endsWith("drift is reported, not applied.");
    assertThat(TestSwarm.docker("service", "ls", "--format", "{{.Name}}"))
        .doesNotContain(STACK + "_web");

    await().atMost(Duration.ofSeconds(20)).until(() -> !bodies.isEmpty());
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> bodies.size() == 1);
    JsonNode body = new ObjectMapper().readTree(bodies.get(0));
    assertThat(body.get("event").asText()).isEqualTo("drift");
    assertThat(body.get("target").asText()).isEqualTo("held");
    assertThat(body.get("note").asText()).startsWith("apply held by sync window 0");
    assertThat(body.get("objects").findValuesAsText("key")).contains("Service/tmnotify_web");
    assertThat(signatures.get(0)).startsWith("sha256=").hasSize(7 + 64);
  }
}
