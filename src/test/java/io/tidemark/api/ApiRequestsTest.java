package io.tidemark.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.Header;
import io.restassured.path.json.JsonPath;
import io.tidemark.cluster.swarm.TestSwarm;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The API against the running service: every route answers a malformed parameter, header or body
 * with 400 naming it, reads need a token when protected while health and metrics stay open, and the
 * quick start's target (in sync with Git, not one task of a service running) shows both dimensions.
 */
@QuarkusTest
@TestProfile(ProtectedApiProfile.class)
class ApiRequestsTest {

  private static final Header READ =
      new Header("Authorization", "Bearer " + ProtectedApiProfile.READ_TOKEN);
  private static final Header WRITE =
      new Header("Authorization", "Bearer " + ProtectedApiProfile.TOKEN);
  private static final String T = "/api/targets/" + ProtectedApiProfile.TARGET;

  @AfterAll
  static void removeTheStack() throws Exception {
    try (var api = TestSwarm.connect()) {
      TestSwarm.removeAll(api, ProtectedApiProfile.STACK + "_");
    }
  }

  /** One bad value of one route: the parameter it must name in its 400. */
  record Bad(String method, String path, String parameter) {}

  @Test
  void everyRouteAnswersABadValueWith400NamingTheParameter() {
    List<Bad> bad =
        List.of(
            new Bad("GET", T + "/runs?before=notadate", "before"),
            new Bad("GET", T + "/runs?before=2026-13-01T00:00:00Z", "before"),
            new Bad("GET", T + "/runs?limit=99999999999", "limit"),
            new Bad("GET", T + "/runs?limit=-1", "limit"),
            new Bad("GET", T + "/runs?limit=0", "limit"),
            new Bad("GET", T + "/runs?limit=501", "limit"),
            new Bad("GET", T + "/runs?limit=ten", "limit"),
            new Bad("GET", "/api/targets/nosuch/runs?limit=abc", "limit"),
            new Bad("GET", T + "/runs/..%2F..%2Fetc", "id"),
            new Bad("GET", T + "/runs/a%21b", "id"),
            new Bad("POST", T + "/sync?wait=abc", "wait"),
            new Bad("POST", T + "/sync?wait=-5", "wait"),
            new Bad("POST", T + "/sync?wait=601", "wait"),
            new Bad("POST", "/api/targets/nosuch/sync?wait=1.5", "wait"));
    for (Bad b : bad) {
      var response =
          given()
              .header(b.method().equals("GET") ? READ : WRITE)
              .urlEncodingEnabled(false)
              .request(b.method(), b.path());
      assertThat(response.statusCode()).as(b + ": " + response.asString()).isEqualTo(400);
      assertThat(response.contentType()).as(b.toString()).startsWith("application/json");
      JsonPath body = response.jsonPath();
      assertThat(body.getString("parameter")).as(b.toString()).isEqualTo(b.parameter());
      assertThat(body.getString("error")).as(b.toString()).contains(b.parameter());
      assertThat(body.getString("allowed")).as(b.toString()).isNotBlank();
    }
    // A header that is not a bearer token is malformed, not merely wrong.
    given()
        .header("Authorization", "Basic dXNlcjpwYXNz")
        .post(T + "/sync")
        .then()
        .statusCode(400)
        .body("parameter", equalTo("Authorization"));
    // Webhook routes: a body that is not JSON is a 400 too (here an unknown provider stays 404).
    given()
        .contentType("application/json")
        .body("{not json")
        .post("/api/webhooks/nosuch")
        .then()
        .statusCode(404);
    // Good values still work, and an unknown target is a 404 with a JSON reason.
    given()
        .header(READ)
        .get(T + "/runs?limit=500&before=2030-01-01T00:00:00Z")
        .then()
        .statusCode(200);
    given()
        .header(READ)
        .get("/api/targets/nosuch/runs")
        .then()
        .statusCode(404)
        .body("error", containsString("nosuch"));
  }

  @Test
  void protectedReadsNeedATokenWhileHealthAndMetricsStayOpen() {
    for (String path : List.of("/api/targets", T, T + "/drift", T + "/runs", T + "/runs/x")) {
      given().get(path).then().statusCode(401).header("WWW-Authenticate", "Bearer");
      given().header("Authorization", "Bearer wrong").get(path).then().statusCode(401);
    }
    given().header(READ).get("/api/targets").then().statusCode(200);
    given().header(WRITE).get("/api/targets").then().statusCode(200);
    // The read token reads; it does not write.
    given().header(READ).post(T + "/sync").then().statusCode(401);
    given().get("/q/health/live").then().statusCode(200);
    given().get("/q/metrics").then().statusCode(200).body(containsString("tidemark_health{"));
    // The page's static shell holds no data; it asks for the token.
    given().get("/").then().statusCode(200);
  }

  @Test
  void theQuickStartTargetIsInSyncAndDegradedAtOnce() {
    // The first run (at start) applies and fails its health wait: the image cannot be pulled.
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              JsonPath report =
                  given()
                      .header(WRITE)
                      .post(T + "/sync?wait=60")
                      .then()
                      .statusCode(200)
                      .extract()
                      .jsonPath();
              assertThat(report.getString("result")).isEqualTo("IN_SYNC");
              assertThat(report.getString("health.status")).isEqualTo("DEGRADED");
            });
    given()
        .header(READ)
        .get(T)
        .then()
        .statusCode(200)
        .body("state", equalTo("IN_SYNC"))
        .body("health.status", equalTo("DEGRADED"))
        .body(
            "health.summary", startsWith(ProtectedApiProfile.STACK + "_db: 0 of 1 tasks running"));
    given()
        .get("/q/metrics")
        .then()
        .body(containsString("tidemark_health{status=\"degraded\",target=\"quick\"} 1.0"));
  }
}
