package io.tidemark.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tidemark.cluster.swarm.DockerApi;
import io.tidemark.cluster.swarm.SwarmDiffer;
import io.tidemark.cluster.swarm.SwarmStackLoader;
import io.tidemark.cluster.swarm.SwarmTarget;
import io.tidemark.cluster.swarm.TestSwarm;
import io.tidemark.model.Mode;
import io.tidemark.model.ObjectHealth.HealthStatus;
import io.tidemark.model.Trigger;
import io.tidemark.report.DriftReport;
import io.tidemark.report.ObjectReport;
import io.tidemark.report.RunListener;
import io.tidemark.report.RunResult;
import io.tidemark.report.TextReport;
import io.tidemark.source.FollowedRef;
import io.tidemark.source.GitSettings;
import io.tidemark.source.JGitSource;
import io.tidemark.testing.GitFixture;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick start's case on the real swarm: a service whose image is not on the node never runs a
 * task, its first apply fails its health wait, and every later run says in sync and degraded at
 * once, while a service that runs is healthy.
 */
class HealthObservedTest {

  private static final String STACK = "health-obs";

  @TempDir Path dir;
  private GitFixture repo;
  private DockerApi api;
  private JGitSource source;

  @BeforeEach
  void setUp() throws Exception {
    api = TestSwarm.connect();
    TestSwarm.removeAll(api, STACK);
    repo = GitFixture.create(dir.resolve("git"));
    repo.write(
            "swarm/docker-stack.yml",
            """
            services:
              web:
                image: %s
                command: ["sleep", "3600"]
              db:
                image: tidemark-test/not-on-this-node:1
                deploy:
                  replicas: 2
            """
                .formatted(TestSwarm.IMAGE))
        .commitAndPush("one service that runs, one whose image is not here");
    source =
        new JGitSource(GitSettings.of(repo.url(), FollowedRef.branch("main"), dir.resolve("data")));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (api != null) {
      TestSwarm.removeAll(api, STACK);
      api.close();
    }
    if (source != null) {
      source.close();
    }
    if (repo != null) {
      repo.close();
    }
  }

  private DriftReport reconcile(Mode mode) {
    TargetSettings settings =
        new TargetSettings(
            "obs", "swarm", "swarm", mode, true, Duration.ofHours(1), Duration.ofSeconds(5));
    SwarmTarget target =
        new SwarmTarget(
            "obs", STACK, api, new SwarmStackLoader("obs", STACK, Map.of()), new SwarmDiffer());
    return new TargetReconciler(settings, target, source, new RunListener() {}, Clock.systemUTC())
        .reconcile(Trigger.poll());
  }

  private static ObjectReport object(DriftReport report, String name) {
    return report.objects().stream()
        .filter(o -> o.name().equals(STACK + "_" + name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aTargetInSyncWhoseTasksNeverRunIsReportedDegraded() {
    DriftReport first = reconcile(Mode.APPLY);
    assertThat(first.result()).as(first.errors().toString()).isEqualTo(RunResult.APPLY_FAILED);

    // The next polls find nothing to write; the health they observe says what really runs.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              DriftReport next = reconcile(Mode.APPLY);
              assertThat(next.result()).isEqualTo(RunResult.IN_SYNC);
              assertThat(next.health().status()).isEqualTo(HealthStatus.DEGRADED);
              assertThat(object(next, "db").health()).isEqualTo(HealthStatus.DEGRADED);
              assertThat(object(next, "db").healthMessage()).startsWith("0 of 2 tasks running");
              assertThat(object(next, "web").health()).isEqualTo(HealthStatus.HEALTHY);
              assertThat(object(next, "web").healthMessage()).isEqualTo("1 of 1 tasks running");
              assertThat(next.health().summary()).startsWith(STACK + "_db: 0 of 2 tasks running");
              assertThat(TextReport.render(next, false))
                  .contains("result:   IN_SYNC\n")
                  .contains("health:   degraded: " + STACK + "_db: 0 of 2 tasks running");
            });
  }

  @Test
  void detectModeObservesHealthAndCallsWhatIsNotThereMissing() {
    DriftReport report = reconcile(Mode.DETECT);

    assertThat(report.result()).isEqualTo(RunResult.DRIFT_DETECTED);
    assertThat(report.health().status()).isEqualTo(HealthStatus.MISSING);
    assertThat(object(report, "web").health()).isEqualTo(HealthStatus.MISSING);
  }
}
