package io.tidemark.reliability;

import static io.tidemark.reliability.SwarmPipeline.object;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.cluster.swarm.SwarmDiffer;
import io.tidemark.cluster.swarm.SwarmStackLoader;
import io.tidemark.cluster.swarm.SwarmTarget;
import io.tidemark.cluster.swarm.TestSwarm;
import io.tidemark.diff.Pairing;
import io.tidemark.diff.Planner;
import io.tidemark.model.ApplyOutcome;
import io.tidemark.model.ApplyResult;
import io.tidemark.model.ChangeType;
import io.tidemark.model.DesiredState;
import io.tidemark.model.Mode;
import io.tidemark.model.ObjectResult;
import io.tidemark.model.Plan;
import io.tidemark.report.DriftReport;
import io.tidemark.report.RunResult;
import io.tidemark.source.Revision;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster moving under Tidemark on the real swarm: a service deleted, changed or created by
 * someone else between the plan and the apply, and an unowned service with a desired name. Each
 * ends as a failed or conflicting entry, never a crash, and the next run converges without touching
 * what is not Tidemark's.
 */
class SwarmRacesTest {

  private static final String STACK = "tmrelr";
  private static final String API = STACK + "_api";
  private static final String EXTRA = STACK + "_extra";

  @TempDir Path dir;
  private Remote remote;
  private SwarmPipeline pipeline;

  @BeforeEach
  void setUp() throws Exception {
    remote = Remote.create(dir.resolve("git"));
    remote.write("swarm/docker-stack.yml", stack("v1", false)).commitAndPush("api v1");
    pipeline =
        new SwarmPipeline(
            remote.url(), dir.resolve("data"), STACK, Mode.APPLY, Duration.ofSeconds(30));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (pipeline != null) {
      pipeline.close();
    }
    if (remote != null) {
      remote.close();
    }
  }

  private static String stack(String version, boolean extra) {
    String service =
        """
          %s:
            image: %s
            command: ["sleep", "3600"]
            environment:
              VERSION: %s
            deploy:
              replicas: 0
        """;
    return "services:\n"
        + service.formatted("api", TestSwarm.IMAGE, version)
        + (extra ? service.formatted("extra", TestSwarm.IMAGE, version) : "");
  }

  /** Plans the newest commit as a run would, up to the point where it would apply. */
  private Planned plan(String version, boolean extra) throws Exception {
    remote.write("swarm/docker-stack.yml", stack(version, extra)).commitAndPush(version);
    Revision revision = pipeline.source().sync();
    SwarmTarget target =
        new SwarmTarget(
            SwarmPipeline.TARGET,
            STACK,
            pipeline.api,
            new SwarmStackLoader(SwarmPipeline.TARGET, STACK, Map.of()),
            new SwarmDiffer(),
            Duration.ofSeconds(30));
    DesiredState desired = target.loader().load(revision.tree(), "swarm", revision.info());
    Plan plan =
        Planner.plan(
            Pairing.pair(desired, target.snapshot(desired.objects().keySet())),
            target,
            target.applyOrder());
    return new Planned(target, plan, revision);
  }

  private record Planned(SwarmTarget target, Plan plan, Revision revision) {
    ApplyResult apply() {
      return target.apply(plan, revision.info(), true);
    }
  }

  private static ObjectResult result(ApplyResult applied, String name) {
    return applied.results().stream()
        .filter(r -> r.key().name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static String env(String service) {
    return TestSwarm.docker(
        "service", "inspect", service, "--format", "{{json .Spec.TaskTemplate.ContainerSpec.Env}}");
  }

  @Test
  void aServiceDeletedBetweenPlanAndApplyFailsCleanlyAndTheNextRunRecreatesIt() throws Exception {
    assertThat(pipeline.reconcile().result()).isEqualTo(RunResult.APPLIED);
    Planned planned = plan("v2", false);
    assertThat(planned.plan().changes())
        .anyMatch(c -> c.key().name().equals(API) && c.type() == ChangeType.UPDATE);
    TestSwarm.docker("service", "rm", API);

    ApplyResult applied = planned.apply();

    assertThat(result(applied, API).outcome()).isEqualTo(ApplyOutcome.FAILED);
    assertThat(result(applied, API).message()).contains("404");
    DriftReport next = pipeline.reconcile();
    assertThat(next.result()).isEqualTo(RunResult.APPLIED);
    assertThat(object(next, API).change()).isEqualTo(ChangeType.CREATE);
    assertThat(env(API)).contains("VERSION=v2");
    assertThat(pipeline.reconcile().result()).isEqualTo(RunResult.IN_SYNC);
  }

  @Test
  void aServiceChangedBetweenPlanAndApplyEndsAsGitSaysAndTheNextRunIsInSync() throws Exception {
    assertThat(pipeline.reconcile().result()).isEqualTo(RunResult.APPLIED);
    Planned planned = plan("v2", false);
    TestSwarm.docker("service", "update", "--detach", "--env-add", "SNEAKY=1", API);

    ApplyResult applied = planned.apply();

    // The engine refuses the version that was compared ("out of sequence"); the writer sends the
    // desired spec again at the current version, so Git's spec wins over the change made meanwhile.
    assertThat(result(applied, API).outcome()).isEqualTo(ApplyOutcome.CONFIGURED);
    assertThat(env(API)).contains("VERSION=v2").doesNotContain("SNEAKY");
    assertThat(pipeline.reconcile().result()).isEqualTo(RunResult.IN_SYNC);
  }

  @Test
  void aServiceCreatedByOthersBetweenPlanAndApplyIsLeftAloneAndReportedAsAConflict()
      throws Exception {
    assertThat(pipeline.reconcile().result()).isEqualTo(RunResult.APPLIED);
    Planned planned = plan("v1", true);
    assertThat(planned.plan().changes())
        .anyMatch(c -> c.key().name().equals(EXTRA) && c.type() == ChangeType.CREATE);
    TestSwarm.docker(
        "service", "create", "--detach", "--name", EXTRA, "--replicas", "0", TestSwarm.IMAGE);
    String version = version(EXTRA);

    ApplyResult applied = planned.apply();

    assertThat(result(applied, EXTRA).outcome()).isEqualTo(ApplyOutcome.FAILED);
    DriftReport next = pipeline.reconcile();
    assertThat(object(next, EXTRA).change()).isEqualTo(ChangeType.CONFLICT);
    assertThat(next.result()).isEqualTo(RunResult.DRIFT_DETECTED);
    assertThat(version(EXTRA)).isEqualTo(version);
  }

  @Test
  void anUnownedServiceWithADesiredNameIsReportedAsAConflictAndNeverTouched() throws Exception {
    TestSwarm.docker(
        "service",
        "create",
        "--detach",
        "--name",
        API,
        "--replicas",
        "0",
        "--label",
        "owner=someone-else",
        TestSwarm.IMAGE,
        "sleep",
        "60");
    String version = version(API);

    DriftReport first = pipeline.reconcile();
    DriftReport second = pipeline.reconcile();

    for (DriftReport report : java.util.List.of(first, second)) {
      assertThat(object(report, API).change()).isEqualTo(ChangeType.CONFLICT);
      assertThat(report.result()).isEqualTo(RunResult.DRIFT_DETECTED);
    }
    assertThat(version(API)).isEqualTo(version);
    assertThat(env(API)).doesNotContain("VERSION");
    assertThat(
            TestSwarm.docker(
                "service", "inspect", API, "--format", "{{index .Spec.Labels \"owner\"}}"))
        .isEqualTo("someone-else");
  }

  private static String version(String service) {
    return TestSwarm.docker("service", "inspect", service, "--format", "{{.Version.Index}}");
  }
}
