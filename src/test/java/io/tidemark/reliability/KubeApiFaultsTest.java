package io.tidemark.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.tidemark.cluster.kubernetes.Fabric8KubeApi;
import io.tidemark.cluster.kubernetes.KubeApiException;
import io.tidemark.cluster.kubernetes.KubernetesManifestLoader;
import io.tidemark.cluster.kubernetes.KubernetesTarget;
import io.tidemark.cluster.kubernetes.RetryPolicy;
import io.tidemark.cluster.kubernetes.RetryingKubeApi;
import io.tidemark.model.ApplyOutcome;
import io.tidemark.model.ApplyResult;
import io.tidemark.model.Change;
import io.tidemark.model.DesiredObject;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.ObjectResult;
import io.tidemark.model.Plan;
import io.tidemark.model.RevisionInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Kubernetes API server that throttles (429), fails (500, 502, 503, 504), conflicts (409) or does
 * not answer in time, played by fabric8's mock server in expectation mode (one queued answer per
 * request): calls are tried again a bounded number of times with growing, jittered backoff, then
 * become a failed entry; final answers (422, unknown kinds) are not retried.
 */
class KubeApiFaultsTest {

  private static final String CORE =
      "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":["
          + "{\"name\":\"configmaps\",\"singularName\":\"configmap\",\"namespaced\":true,"
          + "\"kind\":\"ConfigMap\",\"verbs\":[\"get\",\"list\",\"patch\",\"delete\"]}]}";
  private static final String APP = "/api/v1/namespaces/apps/configmaps/app";
  private static final String APPLY = APP + "?fieldManager=tidemark&force=true";
  private static final String INVENTORY =
      "/api/v1/namespaces/apps/configmaps/tidemark-inventory-rel";
  private static final String STORED =
      "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"app\","
          + "\"namespace\":\"apps\",\"resourceVersion\":\"7\"},\"data\":{\"a\":\"1\"}}";

  @TempDir Path repo;
  private KubernetesMockServer server;
  private KubernetesClient mockClient;
  private Fabric8KubeApi fabric8;
  private final List<Long> sleeps = new CopyOnWriteArrayList<>();
  private RetryingKubeApi api;
  private DesiredObject desired;

  @BeforeEach
  void start() throws Exception {
    server = new KubernetesMockServer(false);
    server.init();
    mockClient = server.createClient();
    fabric8 = Fabric8KubeApi.of(withTimeout(mockClient.getConfiguration(), 10_000));
    api = new RetryingKubeApi(fabric8, policy());
    server.expect().get().withPath("/api/v1").andReturn(200, CORE).always();
    Files.writeString(
        repo.resolve("app.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  a: \"1\"\n");
    desired =
        new KubernetesManifestLoader("rel", "apps", f -> "")
            .load(repo, ".", new RevisionInfo("0123456789ab", "a", "m", null))
            .list()
            .get(0);
  }

  @AfterEach
  void stop() {
    mockClient.close();
    server.destroy();
  }

  /** The standard policy's numbers, with sleeps that are recorded and really taken. */
  private RetryPolicy policy() {
    RetryPolicy standard = RetryPolicy.standard();
    return new RetryPolicy(
        standard.attempts(),
        standard.base(),
        standard.cap(),
        standard.random(),
        millis -> {
          sleeps.add(millis);
          Thread.sleep(millis);
        });
  }

  private static Config withTimeout(Config config, int millis) {
    return new ConfigBuilder(config).withRequestTimeout(millis).build();
  }

  private static String status(int code, String reason) {
    return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\""
        + reason
        + " (test)\",\"reason\":\""
        + reason
        + "\",\"code\":"
        + code
        + "}";
  }

  private void answerApply(int code, String body) {
    server.expect().patch().withPath(APPLY).andReturn(code, body).once();
  }

  private long requests(String method, String path) throws InterruptedException {
    long count = 0;
    int total = server.getRequestCount();
    for (int i = 0; i < total; i++) {
      var request = server.takeRequest(1, TimeUnit.SECONDS);
      if (request != null && request.getMethod().equals(method) && request.getPath().equals(path)) {
        count++;
      }
    }
    return count;
  }

  @Test
  void throttlingAndAServerErrorAreRetriedWithGrowingJitteredBackoff() throws Exception {
    answerApply(429, status(429, "TooManyRequests"));
    answerApply(500, status(500, "InternalError"));
    answerApply(200, STORED);

    var stored = api.apply(desired.spec(), true);

    assertThat(stored).containsEntry("kind", "ConfigMap");
    assertThat(requests("PATCH", APPLY)).isEqualTo(3);
    assertThat(sleeps).hasSize(2);
    assertThat(sleeps.get(0)).isBetween(100L, 200L);
    assertThat(sleeps.get(1)).isBetween(200L, 400L);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {502, 503, 504})
  void gatewayAndAvailabilityErrorsAreRetried(int code) throws Exception {
    answerApply(code, status(code, "ServiceUnavailable"));
    answerApply(200, STORED);

    api.apply(desired.spec(), true);

    assertThat(requests("PATCH", APPLY)).isEqualTo(2);
    assertThat(sleeps).hasSize(1);
  }

  @Test
  void aServerThatKeepsFailingCostsThreeAttemptsThenAFailedEntry() throws Exception {
    for (int i = 0; i < 3; i++) {
      answerApply(500, status(500, "InternalError"));
    }
    server.expect().get().withPath(INVENTORY).andReturn(404, status(404, "NotFound")).once();
    server
        .expect()
        .patch()
        .withPath(INVENTORY + "?fieldManager=tidemark&force=true")
        .andReturn(200, STORED.replace("\"app\"", "\"tidemark-inventory-rel\""))
        .once();
    KubernetesTarget target =
        new KubernetesTarget("rel", "apps", api, f -> "", Duration.ofMillis(100));

    ApplyResult result =
        target.apply(
            new Plan(List.of(Change.create(desired))),
            new RevisionInfo("0123456789ab", "a", "m", null),
            true);

    ObjectResult entry =
        result.results().stream().filter(r -> r.key().equals(desired.key())).findFirst().get();
    assertThat(entry.outcome()).isEqualTo(ApplyOutcome.FAILED);
    assertThat(entry.message()).contains("500").contains("after 3 attempts");
    assertThat(result.failed()).isTrue();
    assertThat(requests("PATCH", APPLY)).isEqualTo(3);
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void aServerThatDoesNotAnswerInTimeCostsThreeBoundedAttempts() throws Exception {
    mockClient.close();
    fabric8 = Fabric8KubeApi.of(withTimeout(server.createClient().getConfiguration(), 300));
    api = new RetryingKubeApi(fabric8, policy());
    for (int i = 0; i < 3; i++) {
      server
          .expect()
          .patch()
          .delay(3, TimeUnit.SECONDS)
          .withPath(APPLY)
          .andReturn(200, STORED)
          .once();
    }
    long start = System.nanoTime();

    assertThatThrownBy(() -> api.apply(desired.spec(), true))
        .isInstanceOf(KubeApiException.class)
        .hasMessageContaining("after 3 attempts");

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(sleeps).hasSize(2);
    // Three timeouts of 300 ms and at most 200 + 400 ms of backoff; generous for a noisy machine.
    assertThat(took).isLessThan(Duration.ofSeconds(6));
    System.out.printf("figure: 3 timed-out attempts failed after %d ms%n", took.toMillis());
  }

  @Test
  void aConflictingApplyIsMadeOnceMoreAfterReadingTheObjectAgain() throws Exception {
    answerApply(409, status(409, "Conflict"));
    server.expect().get().withPath(APP).andReturn(200, STORED).once();
    answerApply(200, STORED);

    api.apply(desired.spec(), true);

    List<String> calls = calls();
    assertThat(calls).containsExactly("PATCH " + APPLY, "GET " + APP, "PATCH " + APPLY);
  }

  @Test
  void aSecondConflictIsFinal() throws Exception {
    answerApply(409, status(409, "Conflict"));
    server.expect().get().withPath(APP).andReturn(200, STORED).once();
    answerApply(409, status(409, "Conflict"));
    answerApply(200, STORED);

    assertThatThrownBy(() -> api.apply(desired.spec(), true))
        .isInstanceOfSatisfying(
            KubeApiException.class,
            e -> assertThat(e.status()).get().extracting(s -> s.code()).isEqualTo(409));
    assertThat(calls()).filteredOn(c -> c.startsWith("PATCH")).hasSize(2);
  }

  @Test
  void aRefusalIsFinalAndNotRetried() throws Exception {
    answerApply(422, status(422, "Invalid"));
    answerApply(200, STORED);

    assertThatThrownBy(() -> api.apply(desired.spec(), true))
        .isInstanceOf(KubeApiException.class)
        .hasMessageContaining("422");
    assertThat(requests("PATCH", APPLY)).isEqualTo(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void aThrottledDryRunIsRetriedNotTakenForARefusal() throws Exception {
    String dryRun = APP + "?fieldManager=tidemark&dryRun=All&force=true";
    server.expect().patch().withPath(dryRun).andReturn(429, status(429, "TooManyRequests")).once();
    server.expect().patch().withPath(dryRun).andReturn(200, STORED).once();

    var result = api.dryRunApply(desired.spec());

    assertThat(result.accepted()).isTrue();
    assertThat(sleeps).hasSize(1);
  }

  @Test
  void anUnknownKindIsReportedAsRefusedByTheServerWithoutRetries() throws Exception {
    server
        .expect()
        .get()
        .withPath("/apis/example.com/v1")
        .andReturn(
            200,
            "{\"kind\":\"APIResourceList\",\"groupVersion\":\"example.com/v1\",\"resources\":[]}")
        .always();
    Files.writeString(
        repo.resolve("app.yaml"),
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec: {}\n");
    DesiredObject widget =
        new KubernetesManifestLoader("rel", "apps", f -> "")
            .load(repo, ".", new RevisionInfo("0123456789ab", "a", "m", null))
            .list()
            .get(0);
    KubernetesTarget target =
        new KubernetesTarget("rel", "apps", api, f -> "", Duration.ofMillis(100));

    List<FieldDiff> diffs = target.compare(widget, null);

    assertThat(diffs)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.desired()).isEqualTo("(refused by the server)");
              assertThat(String.valueOf(d.live())).contains("no kind Widget in example.com/v1");
            });
    assertThat(sleeps).isEmpty();
  }

  @Test
  void fabric8sOwnRetriesAreOffSoOnlyThePolicyRetries() throws Exception {
    answerApply(500, status(500, "InternalError"));
    answerApply(200, STORED);

    assertThatThrownBy(() -> fabric8.apply(desired.spec(), true))
        .isInstanceOf(KubeApiException.class);
    assertThat(requests("PATCH", APPLY)).isEqualTo(1);
  }

  @Test
  void backoffDoublesPerAttemptWithJitterAndStopsAtTheCap() {
    RetryPolicy standard = RetryPolicy.standard();
    List<Long> first = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      first.add(standard.backoff(1).toMillis());
      assertThat(standard.backoff(2).toMillis()).isBetween(200L, 400L);
      assertThat(standard.backoff(12).toMillis()).isBetween(1000L, 2000L);
    }
    assertThat(first).allMatch(ms -> ms >= 100 && ms <= 200);
    assertThat(first.stream().distinct().count()).as("jitter").isGreaterThan(20);
    assertThat(new RetryPolicy(3, Duration.ZERO, Duration.ZERO, b -> 0, m -> {}).backoff(2))
        .isZero();
  }

  private List<String> calls() throws InterruptedException {
    List<String> calls = new java.util.ArrayList<>();
    int total = server.getRequestCount();
    for (int i = 0; i < total; i++) {
      var request = server.takeRequest(1, TimeUnit.SECONDS);
      if (request != null && !request.getPath().equals("/api/v1")) {
        calls.add(request.getMethod() + " " + request.getPath());
      }
    }
    return calls;
  }
}
