package io.tidemark.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.cluster.swarm.DockerApi;
import io.tidemark.cluster.swarm.SwarmDiffer;
import io.tidemark.cluster.swarm.SwarmStackLoader;
import io.tidemark.cluster.swarm.SwarmTarget;
import io.tidemark.cluster.swarm.TestSwarm;
import io.tidemark.model.Mode;
import io.tidemark.model.Trigger;
import io.tidemark.report.DriftReport;
import io.tidemark.report.RunListener;
import io.tidemark.report.RunResult;
import io.tidemark.source.FollowedRef;
import io.tidemark.source.GitSettings;
import io.tidemark.source.JGitSource;
import io.tidemark.source.RevisionStore;
import io.tidemark.testing.GitFixture;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart while the head of the branch does not render: the target keeps reconciling the last
 * good revision it remembered under the data directory, as it would have without the restart. Real
 * Git over file:// and the real swarm in detect mode (nothing is written).
 */
class RestartMemoryTest {

  private static final String STACK = "health-restart";

  @TempDir Path dir;
  private GitFixture repo;
  private DockerApi api;
  private String good;

  @BeforeEach
  void setUp() throws Exception {
    api = TestSwarm.connect();
    repo = GitFixture.create(dir.resolve("git"));
    repo.write(
            "swarm/docker-stack.yml",
            "services:\n  api:\n    image: %s\n    command: [sleep, '3600']\n"
                .formatted(TestSwarm.IMAGE))
        .commitAndPush("a valid stack");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (api != null) {
      api.close();
    }
    if (repo != null) {
      repo.close();
    }
  }

  /** One life of the service: a fresh source and reconciler over the same data directory. */
  private DriftReport runOnce(boolean remember) throws Exception {
    Path data = dir.resolve("data");
    try (JGitSource source =
        new JGitSource(GitSettings.of(repo.url(), FollowedRef.branch("main"), data))) {
      TargetSettings settings =
          new TargetSettings(
              "mem",
              "swarm",
              "swarm",
              Mode.DETECT,
              true,
              Duration.ofHours(1),
              Duration.ofSeconds(5));
      SwarmTarget target =
          new SwarmTarget(
              "mem", STACK, api, new SwarmStackLoader("mem", STACK, Map.of()), new SwarmDiffer());
      Optional<RevisionStore> store =
          remember
              ? Optional.of(new RevisionStore(data.resolve("targets/mem.last-good"), source.ref()))
              : Optional.empty();
      return new TargetReconciler(
              settings, target, source, new RunListener() {}, Clock.systemUTC(), store)
          .reconcile(Trigger.poll());
    }
  }

  private void breakTheHead() {
    repo.write("swarm/docker-stack.yml", "services:\n  api:\n    image: [unclosed\n")
        .commitAndPush("a broken stack");
  }

  @Test
  void aRestartWhileTheHeadIsInvalidKeepsReconcilingTheLastGoodRevision() throws Exception {
    DriftReport before = runOnce(true);
    assertThat(before.result()).isEqualTo(RunResult.DRIFT_DETECTED);
    good = before.revision().commit();
    breakTheHead();

    DriftReport afterRestart = runOnce(true);

    assertThat(afterRestart.result()).isEqualTo(RunResult.DRIFT_DETECTED);
    assertThat(afterRestart.revision().commit()).isEqualTo(good);
    assertThat(afterRestart.note())
        .contains("rejected whole")
        .contains("last good revision " + before.revision().shortCommit());
    assertThat(afterRestart.errors())
        .anySatisfy(e -> assertThat(e).startsWith("swarm/docker-stack.yml:"));
    assertThat(afterRestart.objects()).extracting(o -> o.name()).contains(STACK + "_api");
  }

  @Test
  void withoutTheMemoryTheSameRestartReconcilesNothing() throws Exception {
    runOnce(false);
    breakTheHead();

    DriftReport afterRestart = runOnce(false);

    assertThat(afterRestart.result()).isEqualTo(RunResult.INVALID_REVISION);
    assertThat(afterRestart.objects()).isEmpty();
  }
}
