package io.tidemark.cluster.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.diff.Pairing;
import io.tidemark.diff.Planner;
import io.tidemark.diff.TreeDiff;
import io.tidemark.model.ApplyOutcome;
import io.tidemark.model.ApplyResult;
import io.tidemark.model.DesiredObject;
import io.tidemark.model.DesiredState;
import io.tidemark.model.Labels;
import io.tidemark.model.LiveState;
import io.tidemark.model.ObjectHealth;
import io.tidemark.model.ObjectHealth.HealthStatus;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.Plan;
import io.tidemark.model.RevisionInfo;
import io.tidemark.model.SourceLocation;
import io.tidemark.model.Trees;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A rolling update on the real engine is reported converged when `docker stack deploy
 * --detach=false` would return: its new tasks have run for the monitor period, while the engine
 * still waits out the update delay before it says {@code completed}.
 */
class EarlyConvergenceTest {

  private static final String STACK = "tmearly";
  private static final RevisionInfo REVISION = new RevisionInfo("c0ffee", "a", "m", Instant.EPOCH);
  private static final long MONITOR_NANOS = 1_000_000_000L;

  private DockerApi api;
  private SwarmTarget target;

  @BeforeEach
  void connect() throws Exception {
    api = TestSwarm.connect();
    TestSwarm.removeAll(api, STACK);
    target =
        new SwarmTarget(
            "early",
            STACK,
            api,
            (root, folder, rev) -> DesiredState.of(List.of()),
            (d, l) -> TreeDiff.diff(d.spec().get("TaskTemplate"), l.spec().get("TaskTemplate")));
  }

  @AfterEach
  void clean() throws Exception {
    if (api == null) {
      return;
    }
    TestSwarm.removeAll(api, STACK);
    api.close();
  }

  /** One replica; the engine waits 60 s after each updated task, and monitors 1 s. */
  private static DesiredObject service(String sleep) {
    Map<String, Object> spec =
        Map.of(
            "Name", STACK + "_web",
            "Labels", Map.of(Labels.TARGET, "early", Labels.STACK_NAMESPACE, STACK),
            "TaskTemplate",
                Map.of(
                    "ContainerSpec",
                    Map.of("Image", TestSwarm.IMAGE, "Args", List.of("sleep", sleep)),
                    "RestartPolicy",
                    Map.of("Condition", "any", "Delay", 1_000_000_000L)),
            "Mode", Map.of("Replicated", Map.of("Replicas", 1)),
            "UpdateConfig",
                Map.of(
                    "Parallelism",
                    1,
                    "Delay",
                    60_000_000_000L,
                    "Monitor",
                    MONITOR_NANOS,
                    "FailureAction",
                    "pause",
                    "Order",
                    "stop-first"));
    return new DesiredObject(
        ObjectKey.of("Service", STACK + "_web"), spec, new SourceLocation("s.yml", 1), false);
  }

  private Plan plan(DesiredObject desired) throws Exception {
    DesiredState state = DesiredState.of(List.of(desired));
    LiveState live = target.snapshot(state.objects().keySet());
    return Planner.plan(Pairing.pair(state, live), target, target.applyOrder());
  }

  @Test
  void aRollingUpdateIsHealthyOnceItsNewTaskRanForTheMonitorPeriodWhileTheEngineStillUpdates()
      throws Exception {
    Plan created = plan(service("600"));
    target.awaitHealthy(created, target.apply(created, REVISION, true), Duration.ofSeconds(60));

    Plan changed = plan(service("700"));
    ApplyResult applied = target.apply(changed, REVISION, true);
    assertThat(applied.results())
        .extracting(r -> r.outcome())
        .containsExactly(ApplyOutcome.CONFIGURED);
    List<ObjectHealth> health = target.awaitHealthy(changed, applied, Duration.ofSeconds(60));
    Instant reported = Instant.now();

    assertThat(health)
        .singleElement()
        .satisfies(h -> assertThat(h.status()).isEqualTo(HealthStatus.HEALTHY));
    // The engine has not finished its update: the report came before its `completed`.
    Map<String, Object> service = api.getObject("/services/" + STACK + "_web");
    assertThat(Trees.at(service, "UpdateStatus", "State")).isEqualTo("updating");
    // And not before the new task had run for the monitor period.
    Map<String, Object> running =
        api
            .getArray(
                "/tasks?filters="
                    + DockerApi.filters(
                        Map.of(
                            "service", List.of(STACK + "_web"),
                            "desired-state", List.of("running"))))
            .stream()
            .filter(
                t -> List.of("sleep", "700").equals(Trees.at(t, "Spec", "ContainerSpec", "Args")))
            .findFirst()
            .orElseThrow();
    assertThat(Trees.at(running, "Status", "State")).isEqualTo("running");
    Instant runningSince = Instant.parse(String.valueOf(Trees.at(running, "Status", "Timestamp")));
    assertThat(reported).isAfterOrEqualTo(runningSince.plusNanos(MONITOR_NANOS));
  }
}
