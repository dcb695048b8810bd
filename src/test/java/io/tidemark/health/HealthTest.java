package io.tidemark.health;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tidemark.testing.GitFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A cluster that does not answer leaves Tidemark ready and alive: it still serves the API, the page
 * and webhooks, and readiness names the unreachable target from its last run.
 */
@QuarkusTest
@TestProfile(HealthTest.UnreachableCluster.class)
class HealthTest {

  /** One swarm target whose engine socket does not exist. */
  public static class UnreachableCluster implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      try {
        Path dir = Files.createTempDirectory("tidemark-health");
        GitFixture repo = GitFixture.create(dir.resolve("git"));
        repo.write("swarm/docker-stack.yml", "services:\n  a:\n    image: busybox\n")
            .commitAndPush("a");
        return Map.of(
            "tidemark.data-dir",
            dir.resolve("data").toString(),
            "tidemark.git.url",
            repo.url(),
            "tidemark.git.poll-interval",
            "1h",
            "tidemark.targets.lost.kind",
            "swarm",
            "tidemark.targets.lost.path",
            "swarm",
            "tidemark.targets.lost.docker-host",
            "unix://" + dir.resolve("no-such.sock"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void readinessStaysUpAndNamesTheUnreachableTarget() {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                given()
                    .get("/q/health/ready")
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("UP"))
                    .body("checks[0].data.'target.lost'", startsWith("unreachable: "))
                    .body("checks[0].data.git", startsWith("ok ")));
    given().get("/api/targets/lost").then().body("reachability", equalTo("UNREACHABLE"));
  }

  @Test
  void livenessStaysUp() {
    given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
  }

  @Test
  void theTargetReportsTheClusterAsUnreachable() {
    given()
        .header("Authorization", "Bearer nope")
        .post("/api/targets/lost/sync")
        .then()
        .statusCode(401);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                given()
                    .get("/api/targets/lost/drift")
                    .then()
                    .statusCode(200)
                    .body("result", equalTo("TARGET_UNREACHABLE"))
                    .body("errors[0]", startsWith("cluster: Docker Engine at unix://")));
    given().get("/api/targets/lost").then().body("state", equalTo("FAILED"));
  }
}
