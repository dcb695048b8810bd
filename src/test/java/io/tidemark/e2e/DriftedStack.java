package io.tidemark.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import io.tidemark.cluster.swarm.TestSwarm;
import io.tidemark.model.Mode;
import io.tidemark.model.Trigger;
import io.tidemark.reconcile.Reconcilers;
import io.tidemark.reconcile.TargetReconciler;
import io.tidemark.reconcile.TargetRunner;
import io.tidemark.reconcile.TargetSettings;
import io.tidemark.report.DriftReport;
import io.tidemark.report.RunListener;
import io.tidemark.report.RunResult;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives {@link DriftedSwarmProfile}'s detect-mode target real drift: the stack is applied once by
 * Tidemark's own pipeline in apply mode (so every object is owned and in sync), then changed out of
 * band as an operator would, then reconciled through the API.
 */
final class DriftedStack {

  static final String SERVICE = DriftedSwarmProfile.STACK + "_web";

  private DriftedStack() {}

  /** Makes sure the stack is live and drifted, and returns the report of a fresh detect run. */
  static JsonPath ensure(Reconcilers reconcilers) {
    TargetRunner runner = reconcilers.runner(DriftedSwarmProfile.TARGET).orElseThrow();
    // The poll at start shares the Git clone: let it finish before applying beside it.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> runner.lastReport() != null && !runner.running() && !runner.queued());
    if (!"3".equals(replicas())) {
      applyOnce(reconcilers, runner.settings());
      TestSwarm.docker(
          "service",
          "update",
          "--detach",
          "--replicas",
          "3",
          "--env-add",
          "APP_VERSION=hotfix",
          SERVICE);
    }
    JsonPath report = sync();
    assertThat(report.getString("result")).isEqualTo("DRIFT_DETECTED");
    return report;
  }

  /** One reconcile now through the API; answers its report. */
  static JsonPath sync() {
    return given()
        .header("Authorization", "Bearer " + DriftedSwarmProfile.TOKEN)
        .post("/api/targets/" + DriftedSwarmProfile.TARGET + "/sync?wait=90")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static void applyOnce(Reconcilers reconcilers, TargetSettings detect) {
    TargetSettings apply =
        new TargetSettings(
            detect.name(),
            detect.kind(),
            detect.path(),
            Mode.APPLY,
            true,
            detect.pollInterval(),
            detect.healthTimeout());
    TargetReconciler reconciler =
        new TargetReconciler(
            apply,
            reconcilers.target(detect.name()).orElseThrow(),
            reconcilers.source().orElseThrow(),
            new RunListener() {},
            Clock.systemUTC());
    DriftReport applied = reconciler.reconcile(Trigger.cli());
    assertThat(applied.result())
        .as("applying the stack: %s %s", applied.errors(), applied.objects())
        .isIn(RunResult.APPLIED, RunResult.IN_SYNC);
  }

  private static String replicas() {
    String found =
        TestSwarm.docker("service", "ls", "--filter", "name=" + SERVICE, "--format", "{{.Name}}");
    if (!found.lines().toList().contains(SERVICE)) {
      return "";
    }
    return TestSwarm.docker(
        "service", "inspect", SERVICE, "--format", "{{.Spec.Mode.Replicated.Replicas}}");
  }

  /**
   * Removes the stack once, when every test of the run is done: the test classes that share the
   * profile share the stack, so none of them removes it under another.
   */
  static final class Cleanup implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
      context
          .getRoot()
          .getStore(ExtensionContext.Namespace.GLOBAL)
          .computeIfAbsent(
              Cleanup.class,
              k ->
                  (AutoCloseable)
                      () -> {
                        try (var api = TestSwarm.connect()) {
                          TestSwarm.removeAll(api, DriftedSwarmProfile.STACK + "_");
                        }
                      });
    }
  }
}
