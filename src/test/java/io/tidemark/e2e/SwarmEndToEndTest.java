package io.tidemark.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.tidemark.cluster.swarm.TestSwarm;
import io.tidemark.testing.GitFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The running service against a real Git repository (file://) and the real swarm: apply, no-op,
 * out-of-band drift reported with both values and undone, and a signed GitHub push made live at
 * once. The poll interval is an hour, so every run here is one the test asked for.
 */
@QuarkusTest
@TestProfile(SwarmEndToEndTest.Profile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmEndToEndTest {

  static final String STACK = "tme2e";
  static final String SERVICE = STACK + "_web";
  static final String TOKEN = "e2e-token";
  static final String HOOK_SECRET = "e2e-hook-secret";

  static GitFixture repo;

  /** A repository with one stack, and a target reconciling it in apply mode. */
  public static class Profile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      try {
        Path dir = Files.createTempDirectory("tidemark-e2e");
        repo = GitFixture.create(dir.resolve("git"));
        repo.write("stacks/web/docker-stack.yml", stack(1, "v1")).commitAndPush("web v1");
        return Map.ofEntries(
            Map.entry("tidemark.data-dir", dir.resolve("data").toString()),
            Map.entry("tidemark.git.url", repo.url()),
            Map.entry("tidemark.git.poll-interval", "1h"),
            Map.entry("tidemark.targets.e2e.kind", "swarm"),
            Map.entry("tidemark.targets.e2e.path", "stacks/web"),
            Map.entry("tidemark.targets.e2e.stack", STACK),
            Map.entry("tidemark.targets.e2e.mode", "apply"),
            Map.entry("tidemark.targets.e2e.health-timeout", "45s"),
            Map.entry("tidemark.api.token", TOKEN),
            Map.entry("tidemark.webhooks.github.secret", HOOK_SECRET));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static String stack(int replicas, String version) {
    return """
        services:
          web:
            image: %s
            command: ["sleep", "3600"]
            environment:
              APP_VERSION: %s
            labels:
              io.example/team: platform
            deploy:
              replicas: %d
        """
        .formatted(TestSwarm.IMAGE, version, replicas);
  }

  @AfterAll
  static void removeStack() throws Exception {
    try (var api = TestSwarm.connect()) {
      TestSwarm.removeAll(api, STACK);
    }
  }

  private static JsonPath sync() {
    return given()
        .header("Authorization", "Bearer " + TOKEN)
        .post("/api/targets/e2e/sync?wait=120")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static String inspect(String format) {
    return TestSwarm.docker("service", "inspect", SERVICE, "--format", format);
  }

  @Test
  @Order(1)
  void syncWithoutTheTokenIsRefused() {
    given().post("/api/targets/e2e/sync").then().statusCode(401);
    given()
        .header("Authorization", "Bearer wrong")
        .post("/api/targets/e2e/sync")
        .then()
        .statusCode(401);
  }

  @Test
  @Order(2)
  void appliesTheStackAndReportsItLive() {
    // The poll at start may have applied already: the history holds the run that created the stack.
    JsonPath report = sync();
    assertThat(report.getString("result")).isIn("APPLIED", "IN_SYNC");
    JsonPath runs =
        given().get("/api/targets/e2e/runs?limit=50").then().statusCode(200).extract().jsonPath();
    assertThat(
            runs.getList("findAll { it.result == 'APPLIED' }.objects.flatten().outcome.flatten()"))
        .contains("CREATED");
    assertThat(inspect("{{.Spec.Mode.Replicated.Replicas}}")).isEqualTo("1");
    assertThat(inspect("{{index .Spec.Labels \"io.tidemark/target\"}}")).isEqualTo("e2e");

    given().get("/api/targets/e2e").then().statusCode(200).body("state", equalTo("IN_SYNC"));
    given()
        .get("/api/targets/e2e/drift")
        .then()
        .statusCode(200)
        .body("id", equalTo(report.getString("id")));
  }

  @Test
  @Order(3)
  void aNoOpReconcileReportsNoDriftAndWritesNothing() {
    String version = inspect("{{.Version.Index}}");
    JsonPath report = sync();
    assertThat(report.getString("result")).isEqualTo("IN_SYNC");
    assertThat(report.getBoolean("applied")).isFalse();
    assertThat(inspect("{{.Version.Index}}")).isEqualTo(version);
  }

  @Test
  @Order(4)
  void anOutOfBandScaleIsReportedWithBothValuesAndUndone() {
    TestSwarm.docker("service", "scale", "--detach", SERVICE + "=3");
    JsonPath report = sync();

    List<Map<String, Object>> diffs =
        report.getList("objects.find { it.key == 'Service/" + SERVICE + "' }.diffs");
    assertThat(diffs).contains(Map.of("path", "Mode.Replicated.Replicas", "desired", 1, "live", 3));
    assertThat(report.getString("objects.find { it.key == 'Service/" + SERVICE + "' }.outcome"))
        .isEqualTo("CONFIGURED");
    assertThat(inspect("{{.Spec.Mode.Replicated.Replicas}}")).isEqualTo("1");
  }

  @Test
  @Order(5)
  void aSignedGithubPushMakesTheChangeLiveWithoutWaitingForThePoll() throws Exception {
    String commit =
        repo.write("stacks/web/docker-stack.yml", stack(2, "v2")).commitAndPush("web v2");
    String body =
        "{\"ref\":\"refs/heads/main\",\"after\":\""
            + commit
            + "\",\"repository\":{\"full_name\":\"platform/config\"}}";

    given()
        .header("X-GitHub-Event", "push")
        .header("X-GitHub-Delivery", "e2e-delivery-1")
        .header("X-Hub-Signature-256", "sha256=" + hmac(body))
        .contentType("application/json")
        .body(body)
        .post("/api/webhooks/github")
        .then()
        .statusCode(202);

    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> assertThat(inspect("{{.Spec.Mode.Replicated.Replicas}}")).isEqualTo("2"));
    assertThat(inspect("{{json .Spec.TaskTemplate.ContainerSpec.Env}}")).contains("APP_VERSION=v2");
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () ->
                given()
                    .get("/api/targets/e2e/drift")
                    .then()
                    .body("revision.commit", equalTo(commit)));
    assertThat(inspect("{{index .Spec.Labels \"io.tidemark/commit\"}}")).isEqualTo(commit);
  }

  @Test
  @Order(6)
  void aBadlySignedPushTriggersNothing() {
    String body = "{\"ref\":\"refs/heads/main\"}";
    given()
        .header("X-GitHub-Event", "push")
        .header("X-GitHub-Delivery", "e2e-delivery-2")
        .header("X-Hub-Signature-256", "sha256=" + "0".repeat(64))
        .contentType("application/json")
        .body(body)
        .post("/api/webhooks/github")
        .then()
        .statusCode(401);
  }

  @Test
  @Order(7)
  void metricsAndHealthReflectTheRuns() {
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    Map<String, Double> samples = PrometheusText.parse(metrics);
    assertThat(samples.get("tidemark_reconcile_total{result=\"applied\",target=\"e2e\"}"))
        .isGreaterThanOrEqualTo(2.0);
    assertThat(samples.get("tidemark_reconcile_total{result=\"in_sync\",target=\"e2e\"}"))
        .isGreaterThanOrEqualTo(1.0);
    assertThat(samples.get("tidemark_last_success_timestamp_seconds{target=\"e2e\"}"))
        .isGreaterThan(1.7e9);
    assertThat(samples.get("tidemark_drifted_objects{change=\"update\",target=\"e2e\"}"))
        .isEqualTo(0.0);
    assertThat(samples.keySet())
        .anyMatch(k -> k.startsWith("tidemark_reconcile_duration_seconds_bucket{"));
    assertThat(samples.keySet())
        .anyMatch(k -> k.startsWith("tidemark_git_fetch_duration_seconds_count"));

    given().get("/q/health/live").then().statusCode(200);
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("checks[0].data.'target.e2e'", equalTo("ok"));
  }

  private static String hmac(String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(HOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }
}
