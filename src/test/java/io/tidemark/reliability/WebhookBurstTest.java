package io.tidemark.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tidemark.cluster.swarm.TestSwarm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A burst of 1,000 webhook requests from 16 threads against the running service while commits are
 * pushed: valid signed GitHub pushes (distinct deliveries), the same deliveries replayed, badly
 * signed ones and bodies over 1 MiB. Only the valid deliveries trigger, their reconciles coalesce,
 * the newest commit ends up live, and liveness keeps answering fast throughout.
 */
@QuarkusTest
@TestProfile(WebhookBurstTest.Profile.class)
class WebhookBurstTest {

  static final String STACK = "tmrelw";
  static final String SERVICE = STACK + "_web";
  static final String HOOK_SECRET = "burst-hook-secret";
  static final int THREADS = 16;
  static final int VALID = 100;
  static final int REPLAYED = 350;
  static final int BAD_SIGNATURE = 350;
  static final int OVERSIZE = 200;
  static final int COMMITS = 5;

  static Remote remote;

  /** A repository with one stack, and a target reconciling it in apply mode, polling hourly. */
  public static class Profile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      try {
        Path dir = Files.createTempDirectory("tidemark-burst");
        remote = Remote.create(dir.resolve("git"));
        remote.write("stacks/web/docker-stack.yml", stack(0)).commitAndPush("rev 0");
        return Map.ofEntries(
            Map.entry("tidemark.data-dir", dir.resolve("data").toString()),
            Map.entry("tidemark.git.url", remote.url()),
            Map.entry("tidemark.git.poll-interval", "1h"),
            Map.entry("tidemark.targets.burst.kind", "swarm"),
            Map.entry("tidemark.targets.burst.path", "stacks/web"),
            Map.entry("tidemark.targets.burst.stack", STACK),
            Map.entry("tidemark.targets.burst.mode", "apply"),
            Map.entry("tidemark.targets.burst.health-timeout", "30s"),
            Map.entry("tidemark.api.token", "burst-token"),
            Map.entry("tidemark.webhooks.github.secret", HOOK_SECRET));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static String stack(int revision) {
    return """
        services:
          web:
            image: %s
            command: ["sleep", "3600"]
            environment:
              REVISION: "%d"
            deploy:
              replicas: 0
        """
        .formatted(TestSwarm.IMAGE, revision);
  }

  @TestHTTPResource("/")
  URI base;

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final ObjectMapper json = new ObjectMapper();

  @AfterAll
  static void removeStack() throws Exception {
    try (var api = TestSwarm.connect()) {
      TestSwarm.removeAll(api, STACK + "_");
    }
    remote.close();
  }

  /** One request of the burst: what it is, and the status it must get. */
  private record Delivery(String kind, String id, byte[] body, String signature, int expected) {}

  private List<Delivery> burst() throws Exception {
    byte[] push =
        "{\"ref\":\"refs/heads/main\",\"repository\":{\"full_name\":\"platform/config\"}}"
            .getBytes(StandardCharsets.UTF_8);
    List<Delivery> out = new ArrayList<>();
    for (int i = 0; i < VALID - 1; i++) {
      out.add(new Delivery("valid", "valid-" + i, push, sign(push, HOOK_SECRET), -1));
    }
    for (int i = 0; i < REPLAYED; i++) {
      out.add(
          new Delivery(
              "replayed", "valid-" + (i % (VALID - 1)), push, sign(push, HOOK_SECRET), -1));
    }
    for (int i = 0; i < BAD_SIGNATURE; i++) {
      out.add(new Delivery("bad", "bad-" + i, push, sign(push, "not-the-secret"), 401));
    }
    byte[] huge = new byte[1024 * 1024 + 1024];
    java.util.Arrays.fill(huge, (byte) ' ');
    System.arraycopy(push, 0, huge, 0, push.length);
    for (int i = 0; i < OVERSIZE; i++) {
      out.add(new Delivery("oversize", "huge-" + i, huge, sign(huge, HOOK_SECRET), 413));
    }
    Collections.shuffle(out, new java.util.Random(7));
    return out;
  }

  private int post(Delivery delivery) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/api/webhooks/github"))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .header("X-GitHub-Event", "push")
            .header("X-GitHub-Delivery", delivery.id())
            .header("X-Hub-Signature-256", delivery.signature())
            .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body()))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.io.IOException e) {
      // The server may answer 413 and close before the client has sent the whole body.
      if (delivery.expected() == 413) {
        return 413;
      }
      throw new AssertionError(delivery.kind() + " " + delivery.id() + " got no answer", e);
    }
  }

  @Test
  void onlyValidDeliveriesTriggerTheyCoalesceAndTheNewestCommitEndsUpLive() throws Exception {
    awaitFirstRun();
    List<Delivery> deliveries = burst();
    Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
    AtomicBoolean bursting = new AtomicBoolean(true);
    AtomicLong maxLiveMillis = new AtomicLong();
    AtomicInteger liveChecks = new AtomicInteger();
    AtomicInteger sent = new AtomicInteger();
    Instant started = Instant.now();

    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    ExecutorService side = Executors.newFixedThreadPool(2);
    Future<?> poller = side.submit(() -> pollLiveness(bursting, maxLiveMillis, liveChecks));
    Future<List<String>> pusher =
        side.submit(
            () -> {
              List<String> commits = new ArrayList<>();
              for (int c = 1; c <= COMMITS; c++) {
                int due = c * deliveries.size() / (COMMITS + 1);
                await().atMost(Duration.ofMinutes(2)).until(() -> sent.get() >= due);
                commits.add(
                    remote
                        .write("stacks/web/docker-stack.yml", stack(c))
                        .commitAndPush("rev " + c));
              }
              return commits;
            });
    List<Future<?>> posts = new ArrayList<>();
    for (Delivery delivery : deliveries) {
      posts.add(
          pool.submit(
              () -> {
                int status = post(delivery);
                sent.incrementAndGet();
                statuses
                    .computeIfAbsent(delivery.kind() + " " + status, k -> new AtomicInteger())
                    .incrementAndGet();
                if (delivery.expected() > 0) {
                  assertThat(status).as(delivery.kind()).isEqualTo(delivery.expected());
                }
                return null;
              }));
    }
    for (Future<?> post : posts) {
      post.get(5, TimeUnit.MINUTES);
    }
    List<String> commits = pusher.get(2, TimeUnit.MINUTES);
    String newest = commits.get(commits.size() - 1);
    // The last push's delivery comes after the last commit, as GitHub sends it.
    byte[] last =
        ("{\"ref\":\"refs/heads/main\",\"after\":\"" + newest + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    int lastStatus = post(new Delivery("valid", "final", last, sign(last, HOOK_SECRET), 202));
    Duration burst = Duration.between(started, Instant.now());
    bursting.set(false);
    poller.get(1, TimeUnit.MINUTES);
    pool.shutdown();
    side.shutdown();

    // Only the valid deliveries triggered: each distinct delivery id once.
    assertThat(lastStatus).isEqualTo(202);
    String metrics = metrics();
    assertThat(metric(metrics, "triggered")).isEqualTo(VALID);
    assertThat(metric(metrics, "duplicate")).isEqualTo(REPLAYED);
    assertThat(metric(metrics, "unauthorized")).isEqualTo(BAD_SIGNATURE);
    assertThat(metric(metrics, "too_large")).isEqualTo(OVERSIZE);
    assertThat(count(statuses, "valid 202") + count(statuses, "replayed 202")).isEqualTo(VALID - 1);

    // The newest commit ends up live, and the report says so.
    await()
        .atMost(Duration.ofMinutes(2))
        .untilAsserted(
            () ->
                assertThat(
                        TestSwarm.docker(
                            "service",
                            "inspect",
                            SERVICE,
                            "--format",
                            "{{json .Spec.TaskTemplate.ContainerSpec.Env}}"))
                    .contains("REVISION=" + COMMITS));
    await()
        .atMost(Duration.ofMinutes(1))
        .untilAsserted(
            () ->
                assertThat(get("/api/targets/burst/drift").path("revision").path("commit").asText())
                    .isEqualTo(newest));

    // The reconciles the burst caused coalesced: at most one running and one queued at a time.
    JsonNode runs = get("/api/targets/burst/runs?limit=500");
    List<JsonNode> webhookRuns = new ArrayList<>();
    runs.forEach(
        r -> {
          if (r.path("trigger").path("source").asText().equals("WEBHOOK")) {
            webhookRuns.add(r);
          }
        });
    long shortest =
        webhookRuns.stream().mapToLong(r -> r.path("durationMillis").asLong()).min().orElse(0);
    System.out.printf(
        "figure: burst of %d requests in %d ms from %d threads (%s); %d triggered, %d webhook"
            + " runs (shortest %d ms); liveness max %d ms over %d checks%n",
        deliveries.size() + 1,
        burst.toMillis(),
        THREADS,
        new java.util.TreeMap<>(statuses),
        (long) metric(metrics, "triggered"),
        webhookRuns.size(),
        shortest,
        maxLiveMillis.get(),
        liveChecks.get());
    // One at a time: no run starts before the one before it ended, so however many deliveries
    // arrive, runs are bounded by how many fit, back to back, in the time the burst lasted.
    webhookRuns.sort(
        java.util.Comparator.comparing(r -> Instant.parse(r.path("startedAt").asText())));
    for (int i = 1; i < webhookRuns.size(); i++) {
      Instant previousEnd =
          Instant.parse(webhookRuns.get(i - 1).path("startedAt").asText())
              .plusMillis(webhookRuns.get(i - 1).path("durationMillis").asLong());
      assertThat(Instant.parse(webhookRuns.get(i).path("startedAt").asText()))
          .isAfterOrEqualTo(previousEnd.minusMillis(1));
    }
    assertThat(webhookRuns.size())
        .isLessThan(VALID)
        .isLessThanOrEqualTo((int) (2 + burst.toMillis() / Math.max(1, shortest)));
    assertThat(webhookRuns)
        .allSatisfy(r -> assertThat(r.path("result").asText()).isIn("APPLIED", "IN_SYNC"));
    assertThat(liveChecks.get()).isGreaterThan(10);
    assertThat(maxLiveMillis.get()).as("slowest /q/health/live during the burst").isLessThan(500);
  }

  private static int count(Map<String, AtomicInteger> statuses, String key) {
    AtomicInteger count = statuses.get(key);
    return count == null ? 0 : count.get();
  }

  private void awaitFirstRun() {
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> get("/api/targets/burst/runs?limit=5").size() > 0);
  }

  private void pollLiveness(AtomicBoolean bursting, AtomicLong max, AtomicInteger checks) {
    HttpRequest live =
        HttpRequest.newBuilder(base.resolve("/q/health/live"))
            .timeout(Duration.ofSeconds(10))
            .build();
    while (bursting.get()) {
      long start = System.nanoTime();
      try {
        int status = http.send(live, HttpResponse.BodyHandlers.discarding()).statusCode();
        assertThat(status).isEqualTo(200);
      } catch (Exception e) {
        throw new AssertionError("liveness did not answer during the burst", e);
      }
      long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      max.accumulateAndGet(took, Math::max);
      checks.incrementAndGet();
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(base.resolve(path)).build(),
            HttpResponse.BodyHandlers.ofString());
    return json.readTree(response.body());
  }

  private String metrics() throws Exception {
    return http.send(
            HttpRequest.newBuilder(base.resolve("/q/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** The webhook counter of GitHub requests with {@code outcome}, 0 when absent. */
  private static double metric(String metrics, String outcome) {
    java.util.regex.Matcher sample =
        java.util.regex.Pattern.compile(
                "(?m)^tidemark_webhook_requests_total\\{([^}]*)\\}\\s+(\\S+)$")
            .matcher(metrics);
    while (sample.find()) {
      String labels = sample.group(1);
      if (labels.contains("outcome=\"" + outcome + "\"")
          && labels.contains("provider=\"github\"")) {
        return Double.parseDouble(sample.group(2));
      }
    }
    return 0;
  }

  private static String sign(byte[] body, String secret) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
  }
}
