package io.tidemark.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tidemark.cluster.swarm.DockerApi;
import io.tidemark.cluster.swarm.SwarmDiffer;
import io.tidemark.cluster.swarm.SwarmStackLoader;
import io.tidemark.cluster.swarm.SwarmTarget;
import io.tidemark.cluster.swarm.TestSwarm;
import io.tidemark.model.ApplyOutcome;
import io.tidemark.model.Mode;
import io.tidemark.model.Trigger;
import io.tidemark.report.DriftReport;
import io.tidemark.report.RunListener;
import io.tidemark.report.RunResult;
import io.tidemark.source.FollowedRef;
import io.tidemark.source.GitSettings;
import io.tidemark.source.JGitSource;
import io.tidemark.testing.GitFixture;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shutdown during a run's health wait, on the real swarm: the wait ends at once (not after its
 * timeout), the run is recorded as interrupted with what it had applied, and no queued run starts.
 * This is the path the service's shutdown takes ({@code Reconcilers.stop}: stop, then await each
 * runner until {@code tidemark.shutdown-timeout}).
 */
class ShutdownInterruptTest {

  private static final String STACK = "health-stop";

  @TempDir Path dir;
  private GitFixture repo;
  private DockerApi api;
  private JGitSource source;
  private final List<DriftReport> recorded = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    api = TestSwarm.connect();
    TestSwarm.removeAll(api, STACK);
    repo = GitFixture.create(dir.resolve("git"));
    // Its image is not on the node: the health wait would last its whole timeout.
    repo.write(
            "swarm/docker-stack.yml",
            "services:\n  db:\n    image: tidemark-test/not-on-this-node:1\n")
        .commitAndPush("a service that never becomes healthy");
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

  @Test
  void aShutdownDuringTheHealthWaitRecordsTheRunAsInterruptedWithWhatItApplied() {
    TargetSettings settings =
        new TargetSettings(
            "stop", "swarm", "swarm", Mode.APPLY, true, Duration.ofHours(1), Duration.ofMinutes(5));
    SwarmTarget target =
        new SwarmTarget(
            "stop", STACK, api, new SwarmStackLoader("stop", STACK, Map.of()), new SwarmDiffer());
    RunListener store =
        new RunListener() {
          @Override
          public void completed(DriftReport report) {
            recorded.add(report);
          }
        };
    TargetRunner runner =
        new TargetRunner(new TargetReconciler(settings, target, source, store, Clock.systemUTC()));
    runner.request(Trigger.poll());
    // The service exists: the run has applied and is waiting for health.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> !TestSwarm.docker("service", "ls", "-q", "--filter", "name=" + STACK).isEmpty());
    runner.request(Trigger.poll()); // queued behind it: must not start after the shutdown

    Instant stopping = Instant.now();
    runner.stop();
    runner.awaitStopped(stopping.plusSeconds(30));

    assertThat(Duration.between(stopping, Instant.now())).isLessThan(Duration.ofSeconds(30));
    assertThat(recorded).hasSize(1);
    DriftReport run = recorded.get(0);
    assertThat(run.result()).isEqualTo(RunResult.INTERRUPTED);
    assertThat(run.note()).contains("shut down");
    assertThat(run.objects())
        .filteredOn(o -> o.name().equals(STACK + "_db"))
        .singleElement()
        .satisfies(o -> assertThat(o.outcome()).isEqualTo(ApplyOutcome.CREATED));
  }
}
