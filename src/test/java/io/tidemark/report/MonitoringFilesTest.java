package io.tidemark.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.tidemark.api.webhook.Outcome;
import io.tidemark.api.webhook.WebhookMetrics;
import io.tidemark.model.ApplyOutcome;
import io.tidemark.model.ChangeType;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.Mode;
import io.tidemark.model.RevisionInfo;
import io.tidemark.model.Trigger;
import io.tidemark.testing.Executables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The files under {@code deploy/monitoring}: the alert rules pass {@code promtool} (syntax and
 * their own unit tests), the dashboard is a well-formed Grafana dashboard, and every {@code
 * tidemark_} series either names is one Tidemark's metrics really export.
 */
class MonitoringFilesTest {

  static final Path DIR = Path.of("deploy", "monitoring");
  static final Path ALERTS = DIR.resolve("tidemark-alerts.yml");
  static final Path ALERT_TESTS = DIR.resolve("tidemark-alerts.test.yml");
  static final Path DASHBOARD = DIR.resolve("grafana-dashboard.json");
  static final Pattern SERIES = Pattern.compile("\\btidemark_[a-z_]+");

  @Test
  void promtoolAcceptsTheAlertRules() throws Exception {
    String out = promtool("check", "rules", ALERTS.toString());
    assertThat(out).contains("SUCCESS: ").contains(" rules found");
  }

  @Test
  void theAlertRulesPassTheirUnitTests() throws Exception {
    assertThat(promtool("test", "rules", ALERT_TESTS.toString())).contains("SUCCESS");
  }

  @Test
  void theDashboardIsAGrafanaDashboardOverThePrometheusDatasource() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    assertThat(dashboard.path("uid").asText()).isEqualTo("tidemark");
    assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
    Set<String> variables = new HashSet<>();
    dashboard.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
    assertThat(variables).containsExactlyInAnyOrder("datasource", "target");
    Set<Integer> ids = new HashSet<>();
    Set<String> titles = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(ids.add(panel.path("id").asInt())).as("unique panel id").isTrue();
      titles.add(panel.path("title").asText());
      assertThat(panel.path("type").asText()).isIn("stat", "timeseries");
      JsonNode grid = panel.path("gridPos");
      assertThat(grid.path("x").asInt() + grid.path("w").asInt()).isLessThanOrEqualTo(24);
      assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
      assertThat(panel.path("targets")).isNotEmpty();
    }
    assertThat(titles)
        .contains(
            "Reconciles by result",
            "Reconcile duration",
            "Drifted objects by target and change",
            "Time since last successful reconcile",
            "Apply errors",
            "Webhook requests by outcome",
            "Git fetches");
    assertThat(Files.readString(DASHBOARD))
        .contains(
            "histogram_quantile(0.5, sum by (le) (rate(tidemark_reconcile_duration_seconds_bucket")
        .contains(
            "histogram_quantile(0.95, sum by (le) (rate(tidemark_reconcile_duration_seconds_bucket");
  }

  @Test
  void everySeriesTheDashboardAndTheAlertsUseIsExported() throws IOException {
    Set<String> used = new TreeSet<>();
    for (Path file : List.of(DASHBOARD, ALERTS)) {
      Matcher m = SERIES.matcher(Files.readString(file, StandardCharsets.UTF_8));
      while (m.find()) {
        used.add(m.group());
      }
    }
    assertThat(used).hasSizeGreaterThanOrEqualTo(8);
    assertThat(exported()).containsAll(used);
  }

  /** The names of the series Tidemark's metrics produce after one run, one fetch, one webhook. */
  private static Set<String> exported() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ReconcileMetrics metrics = new ReconcileMetrics(registry);
    metrics.register("platform", Duration.ofMinutes(1));
    metrics.fetched(Duration.ofMillis(40), false);
    ObjectReport failed =
        new ObjectReport(
            "Service/platform_web",
            "Service",
            "",
            "platform_web",
            ChangeType.UPDATE,
            List.of(new FieldDiff("Mode.Replicated.Replicas", 1, 3)),
            "stack.yml:2",
            ApplyOutcome.FAILED,
            "rejected",
            null,
            "");
    metrics.completed(
        new DriftReport(
            "r1",
            "platform",
            Mode.APPLY,
            Trigger.poll(),
            new RevisionInfo("abc", "a", "m", Instant.EPOCH),
            Instant.parse("2026-01-01T00:00:00Z"),
            1200,
            RunResult.APPLY_FAILED,
            true,
            "",
            List.of(),
            Map.of(ChangeType.UPDATE, 1),
            List.of(failed)));
    new WebhookMetrics(registry).record("github", Outcome.UNAUTHORIZED);
    Set<String> names = new TreeSet<>();
    for (String line : registry.scrape().split("\n")) {
      Matcher m = SERIES.matcher(line);
      if (!line.startsWith("#") && m.lookingAt()) {
        names.add(m.group());
      }
    }
    return names;
  }

  private static String promtool(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Executables.require("promtool", "prometheus").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("promtool %s:%n%s", String.join(" ", args), out).isZero();
    return out;
  }
}
