package io.tidemark.cluster.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tidemark.diff.Pairing;
import io.tidemark.diff.Planner;
import io.tidemark.diff.TreeDiff;
import io.tidemark.model.ApplyOutcome;
import io.tidemark.model.ApplyResult;
import io.tidemark.model.ChangeType;
import io.tidemark.model.DesiredObject;
import io.tidemark.model.DesiredState;
import io.tidemark.model.Labels;
import io.tidemark.model.LiveObject;
import io.tidemark.model.LiveState;
import io.tidemark.model.ObjectHealth;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.Ownership;
import io.tidemark.model.Plan;
import io.tidemark.model.RevisionInfo;
import io.tidemark.model.SourceLocation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SwarmTarget's reads and writes against the real engine, with literal service specs. */
class SwarmTargetTest {

  private static final String STACK = "tmtgt";
  private static final RevisionInfo REVISION = new RevisionInfo("c0ffee", "a", "m", Instant.EPOCH);

  private DockerApi api;
  private SwarmTarget target;

  @BeforeEach
  void connect() throws Exception {
    api = TestSwarm.connect();
    TestSwarm.removeAll(api, STACK);
    target =
        new SwarmTarget(
            "t1",
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

  private static DesiredObject service(String name, List<String> args, String target) {
    Map<String, Object> spec =
        Map.of(
            "Name", STACK + "_" + name,
            "Labels", Map.of(Labels.TARGET, target, Labels.STACK_NAMESPACE, STACK),
            "TaskTemplate", Map.of("ContainerSpec", Map.of("Image", TestSwarm.IMAGE, "Args", args)),
            "Mode", Map.of("Replicated", Map.of("Replicas", 1)));
    return new DesiredObject(
        ObjectKey.of("Service", STACK + "_" + name), spec, new SourceLocation("s.yml", 1), false);
  }

  private Plan plan(DesiredObject... desired) throws Exception {
    DesiredState state = DesiredState.of(List.of(desired));
    LiveState live = target.snapshot(state.objects().keySet());
    return Planner.plan(Pairing.pair(state, live), target, target.applyOrder());
  }

  @Test
  void createsAServiceAndWaitsUntilItsTaskRuns() throws Exception {
    Plan plan = plan(service("web", List.of("sleep", "600"), "t1"));
    ApplyResult applied = target.apply(plan, REVISION, true);
    assertThat(applied.results())
        .extracting(r -> r.outcome())
        .containsExactly(ApplyOutcome.CREATED);

    List<ObjectHealth> health = target.awaitHealthy(plan, applied, Duration.ofSeconds(60));
    assertThat(health)
        .singleElement()
        .satisfies(h -> assertThat(h.status()).isEqualTo(ObjectHealth.HealthStatus.HEALTHY));
    LiveObject live = target.snapshot(java.util.Set.of()).objects().get(0);
    assertThat(live.owned()).isTrue();
    assertThat(live.version()).isNotBlank();
  }

  @Test
  void updatesOnlyWhatDiffersAndKeepsTheForceUpdateCounter() throws Exception {
    target.apply(plan(service("web", List.of("sleep", "600"), "t1")), REVISION, true);
    TestSwarm.docker("service", "update", "--detach", "--force", STACK + "_web");
    await()
        .until(
            () -> String.valueOf(live("web").spec().get("TaskTemplate")).contains("ForceUpdate=1"));

    Plan plan = plan(service("web", List.of("sleep", "700"), "t1"));
    assertThat(plan.changes())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.type()).isEqualTo(ChangeType.UPDATE);
              assertThat(c.diffs())
                  .anySatisfy(d -> assertThat(d.path()).isEqualTo("ContainerSpec.Args[1]"));
            });
    target.apply(plan, REVISION, true);

    Object force = io.tidemark.model.Trees.at(live("web").spec(), "TaskTemplate", "ForceUpdate");
    assertThat(((Number) force).intValue()).isEqualTo(1);
    assertThat(
            io.tidemark.model.Trees.at(live("web").spec(), "TaskTemplate", "ContainerSpec", "Args"))
        .isEqualTo(List.of("sleep", "700"));
  }

  @Test
  void reportsAServiceOfAnotherOwnerAsAConflictAndLeavesItAlone() throws Exception {
    TestSwarm.docker(
        "service", "create", "--detach", "--name", STACK + "_web", TestSwarm.IMAGE, "sleep", "600");
    String before = live("web").version();

    Plan plan = plan(service("web", List.of("sleep", "600"), "t1"));
    assertThat(plan.changes())
        .singleElement()
        .satisfies(c -> assertThat(c.type()).isEqualTo(ChangeType.CONFLICT));
    ApplyResult applied = target.apply(plan, REVISION, true);

    assertThat(applied.results()).isEmpty();
    assertThat(live("web").version()).isEqualTo(before);
    assertThat(live("web").ownership()).isEqualTo(Ownership.UNOWNED);
  }

  @Test
  void prunesOwnedServicesThatLeftGitOnlyWhenPruneIsOn() throws Exception {
    target.apply(plan(service("old", List.of("sleep", "600"), "t1")), REVISION, true);

    ApplyResult kept = target.apply(plan(), REVISION, false);
    assertThat(kept.results())
        .singleElement()
        .satisfies(r -> assertThat(r.outcome()).isEqualTo(ApplyOutcome.SKIPPED));
    assertThat(live("old")).isNotNull();

    ApplyResult pruned = target.apply(plan(), REVISION, true);
    assertThat(pruned.results())
        .singleElement()
        .satisfies(r -> assertThat(r.outcome()).isEqualTo(ApplyOutcome.DELETED));
    assertThat(live("old")).isNull();
  }

  @Test
  void aServiceWhoseImageCannotBePulledIsDegradedWithTheTaskError() throws Exception {
    DesiredObject missing = service("ghost", List.of("sleep", "1"), "t1");
    Map<String, Object> spec = io.tidemark.model.Trees.mutableCopy(missing.spec());
    spec.put("TaskTemplate", Map.of("ContainerSpec", Map.of("Image", "tidemark-test/absent:0")));
    DesiredObject ghost = new DesiredObject(missing.key(), spec, missing.source(), false);
    Plan plan = plan(ghost);
    ApplyResult applied = target.apply(plan, REVISION, true);

    List<ObjectHealth> health = target.awaitHealthy(plan, applied, Duration.ofSeconds(60));
    assertThat(health)
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.status()).isEqualTo(ObjectHealth.HealthStatus.DEGRADED);
              assertThat(h.message()).containsIgnoringCase("image");
            });
  }

  @Test
  void anUpdateThatRollsBackIsAFailureWithTheReasonNotASuccess() throws Exception {
    Plan created = plan(service("web", List.of("sleep", "600"), "t1"));
    target.awaitHealthy(created, target.apply(created, REVISION, true), Duration.ofSeconds(60));

    // The new tasks exit at once; the update config asks the engine to roll back on failure.
    DesiredObject broken = service("web", List.of("sh", "-c", "exit 3"), "t1");
    Map<String, Object> spec = io.tidemark.model.Trees.mutableCopy(broken.spec());
    spec.put(
        "UpdateConfig",
        Map.of(
            "Parallelism",
            1,
            "FailureAction",
            "rollback",
            "Monitor",
            3_000_000_000L,
            "MaxFailureRatio",
            0));
    DesiredObject update = new DesiredObject(broken.key(), spec, broken.source(), false);
    Plan plan = plan(update);
    ApplyResult applied = target.apply(plan, REVISION, true);
    assertThat(applied.results())
        .extracting(r -> r.outcome())
        .containsExactly(ApplyOutcome.CONFIGURED);

    List<ObjectHealth> health = target.awaitHealthy(plan, applied, Duration.ofSeconds(90));
    assertThat(health)
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.status()).isEqualTo(ObjectHealth.HealthStatus.DEGRADED);
              assertThat(h.message()).startsWith("update rollback_");
            });
  }

  private LiveObject live(String name) throws Exception {
    return target
        .snapshot(java.util.Set.of(ObjectKey.of("Service", STACK + "_" + name)))
        .objects()
        .stream()
        .filter(o -> o.key().name().equals(STACK + "_" + name))
        .findFirst()
        .orElse(null);
  }
}
