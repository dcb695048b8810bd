package io.tidemark.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpServer;
import io.tidemark.model.ChangeType;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.Mode;
import io.tidemark.model.ObjectHealth;
import io.tidemark.model.ObjectHealth.HealthStatus;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.RevisionInfo;
import io.tidemark.model.TargetHealth;
import io.tidemark.model.Trigger;
import io.tidemark.report.NotificationChannel.Event;
import io.tidemark.report.NotificationChannel.Format;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the notifier told survives a restart (a new notifier over the same file), and health is told
 * when it degrades and when it recovers, once each; to a real HTTP receiver on loopback.
 */
class NotifierMemoryTest {

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  @TempDir Path dir;
  private HttpServer server;
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private Notifier notifier;

  @BeforeEach
  void startReceiver() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/hook",
        exchange -> {
          bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          events.add(exchange.getRequestHeaders().getFirst("X-Tidemark-Event"));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    if (notifier != null) {
      notifier.close();
    }
    server.stop(0);
  }

  /** A new notifier, as after a restart, remembering in {@code notified.json}. */
  private Notifier restart() {
    if (notifier != null) {
      notifier.close();
    }
    NotificationChannel channel =
        new NotificationChannel(
            "ops",
            URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"),
            Format.JSON,
            Set.of(Event.values()),
            Optional.empty(),
            1,
            Duration.ofMillis(50),
            Duration.ofSeconds(5));
    notifier =
        new Notifier(
            List.of(channel),
            JSON,
            new NotifiedStore(Optional.of(dir.resolve("notified.json")), JSON));
    return notifier;
  }

  private static DriftReport report(RunResult result, HealthStatus health, int replicas) {
    ObjectKey key = ObjectKey.of("Service", "web_api");
    ObjectReport object =
        new ObjectReport(
            key.toString(),
            "Service",
            "",
            "web_api",
            result == RunResult.DRIFT_DETECTED ? ChangeType.UPDATE : ChangeType.IN_SYNC,
            result == RunResult.DRIFT_DETECTED
                ? List.of(new FieldDiff("Mode.Replicated.Replicas", replicas, 1))
                : List.of(),
            "stack.yml:2",
            null,
            "",
            health,
            "0 of 3 tasks running");
    return new DriftReport(
        "run-" + System.nanoTime(),
        "web",
        Mode.DETECT,
        Trigger.poll(),
        new RevisionInfo("3f2a1b4c5d6e7f80", "Platform Team", "scale web", Instant.EPOCH),
        Instant.parse("2025-03-01T10:00:00Z"),
        120,
        result,
        false,
        "",
        List.of(),
        Map.of(object.change(), 1),
        List.of(object),
        TargetHealth.of(List.of(new ObjectHealth(key, health, "0 of 3 tasks running"))));
  }

  private void expect(String... told) {
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= told.length);
    await()
        .during(Duration.ofMillis(400))
        .atMost(Duration.ofSeconds(2))
        .until(() -> events.size() == told.length);
    assertThat(events).containsExactly(told);
  }

  @Test
  void driftAlreadyToldIsNotToldAgainAfterARestart() throws Exception {
    restart().completed(report(RunResult.DRIFT_DETECTED, HealthStatus.HEALTHY, 3));
    expect("drift");

    restart().completed(report(RunResult.DRIFT_DETECTED, HealthStatus.HEALTHY, 3));
    expect("drift");
    assertThat(Files.readString(dir.resolve("notified.json"))).doesNotContain("Replicas");

    restart().completed(report(RunResult.DRIFT_DETECTED, HealthStatus.HEALTHY, 4));
    expect("drift", "drift");
  }

  @Test
  void degradedHealthIsToldOnceAcrossRestartsAndItsRecoveryOnce() throws Exception {
    restart().completed(report(RunResult.IN_SYNC, HealthStatus.DEGRADED, 3));
    expect("health-degraded");
    restart().completed(report(RunResult.IN_SYNC, HealthStatus.DEGRADED, 3));
    expect("health-degraded");
    assertThat(bodies.get(0))
        .contains("\"health\":{\"status\":\"DEGRADED\"")
        .contains("web_api: 0 of 3 tasks running");

    restart().completed(report(RunResult.IN_SYNC, HealthStatus.PROGRESSING, 3));
    notifier.completed(report(RunResult.IN_SYNC, HealthStatus.HEALTHY, 3));
    expect("health-degraded", "health-recovered");
    restart().completed(report(RunResult.IN_SYNC, HealthStatus.HEALTHY, 3));
    expect("health-degraded", "health-recovered");
  }
}
