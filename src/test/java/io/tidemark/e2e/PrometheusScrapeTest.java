package io.tidemark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.tidemark.reconcile.Reconcilers;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's package, as a child process) scrapes the running service on loopback
 * every second and evaluates {@code deploy/monitoring}'s alert rules; the test reads the {@code
 * tidemark_} series, the alerts and every dashboard query back through Prometheus's HTTP API.
 */
@QuarkusTest
@TestProfile(DriftedSwarmProfile.class)
@ExtendWith(DriftedStack.Cleanup.class)
class PrometheusScrapeTest {

  static final Path MONITORING = Path.of("deploy", "monitoring");

  @Inject Reconcilers reconcilers;

  @TestHTTPResource("/q/metrics")
  URL metrics;

  @TempDir Path dir;

  @Test
  void prometheusReadsTheReconcileSeriesRunsTheAlertRulesAndAnswersTheDashboard() throws Exception {
    JsonPath report = DriftedStack.ensure(reconcilers);
    long finished =
        (Instant.parse(report.getString("startedAt")).toEpochMilli()
                + report.getLong("durationMillis"))
            / 1000;
    URI scraped = URI.create("http://127.0.0.1:" + metrics.getPort() + metrics.getPath());

    try (PrometheusServer prometheus =
        PrometheusServer.start(dir, scraped, List.of(MONITORING.resolve("tidemark-alerts.yml")))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                JsonNode runs = prometheus.query("tidemark_reconcile_total").path("result");
                JsonNode detected =
                    only(runs, Map.of("target", "page", "result", "drift_detected"));
                assertThat(detected.path("metric").path("job").asText()).isEqualTo("tidemark");
                assertThat(value(detected)).isGreaterThanOrEqualTo(2.0);
              });

      Map<String, Double> drifted = new HashMap<>();
      for (JsonNode series : prometheus.query("tidemark_drifted_objects").path("result")) {
        assertThat(series.path("metric").path("target").asText()).isEqualTo("page");
        drifted.put(series.path("metric").path("change").asText(), value(series));
      }
      assertThat(drifted)
          .isEqualTo(
              Map.of("create", 0.0, "update", 1.0, "delete", 0.0, "conflict", 0.0, "adopt", 0.0));
      JsonNode lastSuccess =
          only(
              prometheus.query("tidemark_last_success_timestamp_seconds").path("result"),
              Map.of("target", "page"));
      assertThat(value(lastSuccess)).isEqualTo((double) finished);

      // Every rule evaluates cleanly against the real series; the drift alert starts its 15
      // minutes.
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                List<String> rules = new ArrayList<>();
                for (JsonNode group : prometheus.get("/api/v1/rules").path("groups")) {
                  for (JsonNode rule : group.path("rules")) {
                    assertThat(rule.path("health").asText())
                        .as("%s: %s", rule.path("name"), rule.path("lastError"))
                        .isEqualTo("ok");
                    rules.add(rule.path("name").asText());
                  }
                }
                assertThat(rules).contains("TidemarkDriftPresent", "TidemarkNoSuccessfulReconcile");
                JsonNode alerts = prometheus.get("/api/v1/alerts").path("alerts");
                JsonNode drift = only(alerts, Map.of("alertname", "TidemarkDriftPresent"));
                assertThat(drift.path("labels").path("target").asText()).isEqualTo("page");
                assertThat(drift.path("state").asText()).isEqualTo("pending");
                assertThat(drift.path("value").asText()).isEqualTo("1e+00");
              });
      // The "three poll intervals" rule needs the process start time next to its own series.
      assertThat(prometheus.query("process_start_time_seconds").path("result")).hasSize(1);

      for (String expr : dashboardQueries()) {
        String concrete =
            expr.replace("$target", "page")
                .replace("$__rate_interval", "1m")
                .replace("$__range", "5m");
        prometheus.query(concrete); // fails the test on any query Prometheus rejects
      }
      assertThat(prometheus.get("/api/v1/label/target/values?match[]=tidemark_reconcile_total"))
          .extracting(JsonNode::asText)
          .contains("page");
      JsonNode drifting =
          prometheus
              .query("sum by (target, change) (tidemark_drifted_objects{target=~\"page\"}) > 0")
              .path("result");
      assertThat(only(drifting, Map.of("change", "update")).path("metric").path("target").asText())
          .isEqualTo("page");
    }
  }

  private static List<String> dashboardQueries() throws Exception {
    JsonNode dashboard =
        new ObjectMapper().readTree(MONITORING.resolve("grafana-dashboard.json").toFile());
    List<String> exprs = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        exprs.add(target.path("expr").asText());
      }
    }
    assertThat(exprs).hasSizeGreaterThanOrEqualTo(9).allMatch(e -> e.contains("tidemark_"));
    return exprs;
  }

  /** The one element of {@code items} whose metric (or labels) carry {@code labels}. */
  private static JsonNode only(JsonNode items, Map<String, String> labels) {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode item : items) {
      JsonNode names = item.has("metric") ? item.path("metric") : item.path("labels");
      if (labels.entrySet().stream()
          .allMatch(e -> e.getValue().equals(names.path(e.getKey()).asText()))) {
        found.add(item);
      }
    }
    assertThat(found).as("series with %s in %s", labels, items).hasSize(1);
    return found.get(0);
  }

  private static double value(JsonNode series) {
    return Double.parseDouble(series.path("value").get(1).asText());
  }
}
