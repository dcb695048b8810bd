package io.tidemark.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpServer;
import io.tidemark.diff.SecretMask;
import io.tidemark.model.ApplyOutcome;
import io.tidemark.model.ChangeType;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.Mode;
import io.tidemark.model.RevisionInfo;
import io.tidemark.model.Trigger;
import io.tidemark.report.NotificationChannel.Event;
import io.tidemark.report.NotificationChannel.Format;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Notifications to a real HTTP server on loopback: retried, deduplicated, signed, shaped. */
class NotifierTest {

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();
  private static final String HMAC_KEY = "notify-signing-key";

  /** One request the receiver got. */
  record Received(String event, String delivery, String signature, String body) {
    JsonNode json() throws Exception {
      return JSON.readTree(body);
    }
  }

  private HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Queue<Integer> statuses = new ArrayDeque<>();
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private Notifier notifier;

  @BeforeEach
  void startReceiver() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/hook",
        exchange -> {
          try {
            gate.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] body = exchange.getRequestBody().readAllBytes();
          received.add(
              new Received(
                  exchange.getRequestHeaders().getFirst("X-Tidemark-Event"),
                  exchange.getRequestHeaders().getFirst("X-Tidemark-Delivery"),
                  exchange.getRequestHeaders().getFirst("X-Tidemark-Signature"),
                  new String(body, StandardCharsets.UTF_8)));
          Integer status;
          synchronized (statuses) {
            status = statuses.poll();
          }
          exchange.sendResponseHeaders(status == null ? 200 : status, -1);
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

  private NotificationChannel channel(Format format, Set<Event> events, int attempts) {
    return new NotificationChannel(
        "ops",
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"),
        format,
        events,
        Optional.of(HMAC_KEY),
        attempts,
        Duration.ofMillis(50),
        Duration.ofSeconds(5));
  }

  private Notifier notifier(NotificationChannel... channels) {
    notifier = new Notifier(List.of(channels), JSON);
    return notifier;
  }

  private void answer(Integer... codes) {
    synchronized (statuses) {
      statuses.addAll(List.of(codes));
    }
  }

  private static ObjectReport drifted(String name, int desired, int live) {
    return new ObjectReport(
        "Service/" + name,
        "Service",
        "",
        name,
        ChangeType.UPDATE,
        List.of(new FieldDiff("Mode.Replicated.Replicas", desired, live)),
        "stack.yml:2",
        null,
        "",
        null,
        "");
  }

  private static DriftReport report(RunResult result, ObjectReport... objects) {
    Map<ChangeType, Integer> summary = new EnumMap<>(ChangeType.class);
    for (ObjectReport o : objects) {
      summary.merge(o.change(), 1, Integer::sum);
    }
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
        summary,
        List.of(objects));
  }

  /** Waits until exactly {@code count} requests arrived, and that no other follows shortly. */
  private void expectRequests(int count) {
    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= count);
    await()
        .during(Duration.ofMillis(400))
        .atMost(Duration.ofSeconds(2))
        .until(() -> received.size() == count);
  }

  @Test
  void aFailedFirstAttemptIsRetriedWithTheSameDeliveryIdAndASignedBody() throws Exception {
    answer(503);
    Notifier notifier = notifier(channel(Format.JSON, Set.of(Event.values()), 3));

    notifier.completed(report(RunResult.DRIFT_DETECTED, drifted("web_api", 1, 3)));

    expectRequests(2);
    Received retry = received.get(1);
    assertThat(retry.delivery()).isEqualTo(received.get(0).delivery());
    assertThat(retry.event()).isEqualTo("drift");
    assertThat(retry.signature()).isEqualTo("sha256=" + hmac(retry.body()));
    JsonNode body = retry.json();
    assertThat(body.get("event").asText()).isEqualTo("drift");
    assertThat(body.get("target").asText()).isEqualTo("web");
    assertThat(body.get("revision").get("commit").asText()).isEqualTo("3f2a1b4c5d6e7f80");
    assertThat(body.get("objects").get(0).get("diffs").toString())
        .isEqualTo("[{\"path\":\"Mode.Replicated.Replicas\",\"desired\":1,\"live\":3}]");
    assertThat(body.get("text").asText()).contains("- Mode.Replicated.Replicas: 3");
  }

  @Test
  void theSameDriftIsToldOnceAndADifferentOrReturningDriftAgain() {
    Notifier notifier = notifier(channel(Format.JSON, Set.of(Event.DRIFT), 1));

    notifier.completed(report(RunResult.DRIFT_DETECTED, drifted("web_api", 1, 3)));
    notifier.completed(report(RunResult.DRIFT_DETECTED, drifted("web_api", 1, 3)));
    notifier.completed(report(RunResult.DRIFT_DETECTED, drifted("web_api", 1, 3)));
    expectRequests(1);

    notifier.completed(report(RunResult.DRIFT_DETECTED, drifted("web_api", 1, 4)));
    expectRequests(2);

    notifier.completed(report(RunResult.IN_SYNC));
    notifier.completed(report(RunResult.DRIFT_DETECTED, drifted("web_api", 1, 4)));
    expectRequests(3);
  }

  @Test
  void anApplyFailureIsToldOnceAndTheNextSuccessfulRunAsRecovered() throws Exception {
    Notifier notifier = notifier(channel(Format.JSON, Set.of(Event.values()), 1));
    ObjectReport failed =
        new ObjectReport(
            "Service/web_db",
            "Service",
            "",
            "web_db",
            ChangeType.UPDATE,
            List.of(),
            "db.yml:1",
            ApplyOutcome.FAILED,
            "update out of sequence",
            null,
            "");

    notifier.completed(report(RunResult.APPLY_FAILED, failed));
    notifier.completed(report(RunResult.APPLY_FAILED, failed));
    expectRequests(1);
    notifier.completed(report(RunResult.APPLIED));
    expectRequests(2);
    notifier.completed(report(RunResult.IN_SYNC));
    expectRequests(2);

    assertThat(received.get(0).event()).isEqualTo("apply-failed");
    assertThat(received.get(0).json().get("objects").get(0).get("message").asText())
        .isEqualTo("update out of sequence");
    JsonNode recovered = received.get(1).json();
    assertThat(recovered.get("event").asText()).isEqualTo("recovered");
    assertThat(recovered.get("previousResult").asText()).isEqualTo("APPLY_FAILED");
  }

  @Test
  void aChannelHearsOnlyTheEventsItAskedFor() {
    Notifier notifier = notifier(channel(Format.JSON, Set.of(Event.RECOVERED), 1));

    notifier.completed(report(RunResult.DRIFT_DETECTED, drifted("web_api", 1, 3)));
    notifier.completed(report(RunResult.TARGET_UNREACHABLE));
    notifier.completed(report(RunResult.IN_SYNC));

    expectRequests(1);
    assertThat(received.get(0).event()).isEqualTo("recovered");
  }

  @Test
  void aSlackChannelGetsTextAndBlocksWithTheDiffAndMaskedSecrets() throws Exception {
    Notifier notifier = notifier(channel(Format.SLACK, Set.of(Event.DRIFT), 1));
    ObjectReport secret =
        new ObjectReport(
            "Secret/web_db_password",
            "Secret",
            "",
            "web_db_password",
            ChangeType.UPDATE,
            SecretMask.mask(List.of(new FieldDiff("Data", "s3cr3t-new", "s3cr3t-old"))),
            "stack.yml:9",
            null,
            "",
            null,
            "");

    notifier.completed(report(RunResult.DRIFT_DETECTED, drifted("web_api", 1, 3), secret));

    expectRequests(1);
    assertThat(received.get(0).body()).doesNotContain("s3cr3t");
    JsonNode body = received.get(0).json();
    assertThat(body.fieldNames()).toIterable().containsExactly("text", "blocks");
    assertThat(body.get("text").asText())
        .isEqualTo("Drift detected on web: 2 object(s) differ from Git");
    JsonNode blocks = body.get("blocks");
    assertThat(blocks.get(0).get("type").asText()).isEqualTo("header");
    assertThat(blocks.get(1).get("text").get("type").asText()).isEqualTo("mrkdwn");
    assertThat(blocks.get(1).get("text").get("text").asText())
        .contains("*Revision* `3f2a1b4c5d6e` by Platform Team: scale web");
    assertThat(blocks.get(2).get("text").get("text").asText())
        .startsWith("```UPDATE Service/web_api\n")
        .contains("- Mode.Replicated.Replicas: 3\n+ Mode.Replicated.Replicas: 1")
        .endsWith("```");
    assertThat(blocks.get(3).get("text").get("text").asText())
        .contains("- Data: &lt;secret sha256:");
    assertThat(blocks.get(blocks.size() - 1).get("type").asText()).isEqualTo("context");
  }

  @Test
  void aReceiverThatKeepsFailingGetsTheConfiguredAttemptsThenNoMore() {
    answer(500, 500, 500, 500);
    Notifier notifier = notifier(channel(Format.JSON, Set.of(Event.DRIFT), 3));

    notifier.completed(report(RunResult.DRIFT_DETECTED, drifted("web_api", 1, 3)));

    expectRequests(3);
    assertThat(received).extracting(Received::delivery).containsOnly(received.get(0).delivery());
  }

  @Test
  void aClientErrorIsFinalAndNotRetried() {
    answer(400);
    Notifier notifier = notifier(channel(Format.JSON, Set.of(Event.DRIFT), 3));

    notifier.completed(report(RunResult.DRIFT_DETECTED, drifted("web_api", 1, 3)));

    expectRequests(1);
  }

  @Test
  void sendingNeverBlocksTheReconcileThread() {
    gate = new CountDownLatch(1);
    Notifier notifier = notifier(channel(Format.JSON, Set.of(Event.DRIFT), 1));

    long start = System.nanoTime();
    notifier.completed(report(RunResult.DRIFT_DETECTED, drifted("web_api", 1, 3)));
    long tookMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(tookMillis).isLessThan(1000);
    assertThat(received).isEmpty();
    gate.countDown();
    expectRequests(1);
  }

  @Test
  void backoffDoublesPerAttemptWithJitterWithinTheUpperHalf() {
    WebhookSender low = new WebhookSender(null, () -> 0.0);
    WebhookSender high = new WebhookSender(null, () -> 0.999);

    assertThat(low.delayMillis(Duration.ofSeconds(1), 1)).isEqualTo(500);
    assertThat(high.delayMillis(Duration.ofSeconds(1), 1)).isBetween(990L, 1000L);
    assertThat(low.delayMillis(Duration.ofSeconds(1), 2)).isEqualTo(1000);
    assertThat(high.delayMillis(Duration.ofSeconds(1), 3)).isBetween(3990L, 4000L);
  }

  private static String hmac(String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(HMAC_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }
}
