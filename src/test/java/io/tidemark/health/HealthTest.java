package io.tidemark.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tidemark.testing.GitFixture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * A cluster that does not answer leaves Tidemark ready and alive: it still serves the API, the page
 * and webhooks, and readiness names the unreachable target from its last run, without asking any
 * engine again while the probe waits.
 */
@QuarkusTest
@TestProfile(HealthTest.UnreachableCluster.class)
class HealthTest {

  /**
   * One swarm target whose engine socket does not exist, and one whose engine answers every request
   * with an error and counts them ({@code GET /__count}, not counted, says how many it got).
   */
  public static class UnreachableCluster implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      try {
        AtomicInteger requests = new AtomicInteger();
        HttpServer engine = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        engine.createContext(
            "/",
            exchange -> {
              boolean count = exchange.getRequestURI().getPath().equals("/__count");
              byte[] body =
                  (count
                          ? String.valueOf(requests.get())
                          : "{\"message\":\"engine down " + requests.incrementAndGet() + "\"}")
                      .getBytes(StandardCharsets.UTF_8);
              exchange.sendResponseHeaders(count ? 200 : 503, body.length);
              exchange.getResponseBody().write(body);
              exchange.close();
            });
        engine.start();
        Path dir = Files.createTempDirectory("tidemark-health");
        GitFixture repo = GitFixture.create(dir.resolve("git"));
        repo.write("swarm/docker-stack.yml", "services:\n  a:\n    image: busybox\n")
            .commitAndPush("a");
        return Map.of(
            "tidemark.targets.counted.kind",
            "swarm",
            "tidemark.targets.counted.path",
            "swarm",
            "tidemark.targets.counted.docker-host",
            "tcp://127.0.0.1:" + engine.getAddress().getPort(),
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
  void probesAnswerFromWhatIsKnownWithoutAskingTheEngines() {
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () ->
                given()
                    .get("/q/health/ready")
                    .then()
                    .body("checks[0].data.'target.counted'", startsWith("unreachable: ")));
    int before = engineRequests();
    assertThat(before).isPositive(); // the target's run did ask the engine

    for (int i = 0; i < 20; i++) {
      given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    assertThat(engineRequests()).isEqualTo(before);
  }

  private static int engineRequests() {
    String host =
        ConfigProvider.getConfig()
            .getValue("tidemark.targets.counted.docker-host", String.class)
            .replace("tcp://", "http://");
    return Integer.parseInt(given().get(host + "/__count").asString().trim());
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
