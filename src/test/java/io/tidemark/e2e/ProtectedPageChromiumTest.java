package io.tidemark.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.tidemark.api.ProtectedApiProfile;
import io.tidemark.cluster.swarm.TestSwarm;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page in a real headless Chromium, driven over the DevTools protocol, against a service whose
 * reads are protected: it asks for the token once, keeps it across a reload of the same tab but not
 * in a new tab, and then shows the quick start's target in sync and degraded at once.
 */
@QuarkusTest
@TestProfile(ProtectedApiProfile.class)
class ProtectedPageChromiumTest {

  private static final String HEALTH_LINE =
      "#target-" + ProtectedApiProfile.TARGET + " .health-line";

  @TestHTTPResource("/")
  URL root;

  @TempDir Path work;

  @AfterAll
  static void removeTheStack() throws Exception {
    try (var api = TestSwarm.connect()) {
      TestSwarm.removeAll(api, ProtectedApiProfile.STACK + "_");
    }
  }

  @Test
  void thePageAsksForTheTokenOnceKeepsItForTheTabAndShowsInSyncAndDegraded() throws Exception {
    inSyncAndDegraded();
    try (DevToolsBrowser browser = DevToolsBrowser.start(work)) {
      DevToolsBrowser.Tab tab = browser.firstTab();
      tab.navigate(root.toURI());
      awaitElement(tab, "#login");
      assertThat(tab.text()).contains("Reads are protected on this Tidemark");
      assertThat(tab.eval("document.querySelectorAll('article.target').length").asInt()).isZero();

      // A wrong token is refused and asked for again; the read token is then kept.
      submit(tab, "not-the-token");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> tab.text().contains("That token was not accepted."));
      submit(tab, ProtectedApiProfile.READ_TOKEN);
      awaitElement(tab, HEALTH_LINE);
      String line = tab.eval("document.querySelector('" + HEALTH_LINE + "').innerText").asText();
      assertThat(line)
          .startsWith("in sync · degraded: ")
          .contains(ProtectedApiProfile.STACK + "_db: 0 of 1 tasks running");
      assertThat(tab.eval("document.getElementById('login') === null").asBoolean()).isTrue();

      // A reload of the same tab keeps the token: the targets come back without a question.
      tab.eval("document.body.setAttribute('data-before-reload', 'yes'); true");
      tab.reload();
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () ->
                  tab.eval("!!document.body && !document.body.hasAttribute('data-before-reload')")
                      .asBoolean());
      awaitElement(tab, HEALTH_LINE);
      assertThat(tab.eval("document.getElementById('login') === null").asBoolean()).isTrue();
      assertThat(tab.eval("sessionStorage.getItem('tidemark.token')").asText())
          .isEqualTo(ProtectedApiProfile.READ_TOKEN);

      // Another tab has its own session storage: it asks again.
      DevToolsBrowser.Tab other = browser.newTab(root.toURI());
      awaitElement(other, "#login");
      assertThat(other.eval("document.querySelectorAll('article.target').length").asInt()).isZero();
    }
  }

  /** The first run (at start) applies and fails its health wait; the next finds it in sync. */
  private static void inSyncAndDegraded() {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              JsonPath report =
                  given()
                      .header("Authorization", "Bearer " + ProtectedApiProfile.TOKEN)
                      .post("/api/targets/" + ProtectedApiProfile.TARGET + "/sync?wait=60")
                      .then()
                      .statusCode(200)
                      .extract()
                      .jsonPath();
              assertThat(report.getString("result")).isEqualTo("IN_SYNC");
              assertThat(report.getString("health.status")).isEqualTo("DEGRADED");
            });
  }

  private static void submit(DevToolsBrowser.Tab tab, String token) throws Exception {
    awaitElement(tab, "#login");
    tab.eval(
        "document.getElementById('token').value = '"
            + token
            + "'; document.getElementById('login').requestSubmit(); true");
  }

  private static void awaitElement(DevToolsBrowser.Tab tab, String selector) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> tab.eval("document.querySelector('" + selector + "') !== null").asBoolean());
  }
}
