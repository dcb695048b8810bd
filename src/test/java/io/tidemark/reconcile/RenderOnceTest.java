package io.tidemark.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.cluster.swarm.DockerApi;
import io.tidemark.cluster.swarm.SwarmDiffer;
import io.tidemark.cluster.swarm.SwarmStackLoader;
import io.tidemark.cluster.swarm.SwarmTarget;
import io.tidemark.cluster.swarm.TestSwarm;
import io.tidemark.desired.DesiredStateLoader;
import io.tidemark.model.Mode;
import io.tidemark.model.Trigger;
import io.tidemark.report.DriftReport;
import io.tidemark.report.RunListener;
import io.tidemark.report.RunResult;
import io.tidemark.source.FollowedRef;
import io.tidemark.source.GitSettings;
import io.tidemark.source.GitSource;
import io.tidemark.source.JGitSource;
import io.tidemark.source.LocalFolderSource;
import io.tidemark.testing.GitFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit renders once: the runs after it on the same commit (drift checks, no-op polls) reuse
 * what it rendered to, and a new commit renders again. A local folder, whose content can change
 * under the same name, renders on every run. Real Git over file:// and the real swarm in detect
 * mode (nothing is written).
 */
class RenderOnceTest {

  private static final String STACK = "render-once";
  private static final String STACK_FILE =
      "services:\n  api:\n    image: %s\n    command: [sleep, '%s']\n";

  @TempDir Path dir;
  private GitFixture repo;
  private DockerApi api;
  private final AtomicInteger renders = new AtomicInteger();

  @BeforeEach
  void setUp() {
    api = TestSwarm.connect();
    repo = GitFixture.create(dir.resolve("git"));
    repo.write("swarm/docker-stack.yml", STACK_FILE.formatted(TestSwarm.IMAGE, "3600"))
        .commitAndPush("a stack");
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

  private TargetReconciler reconciler(GitSource source) {
    DesiredStateLoader real = new SwarmStackLoader("once", STACK, Map.of());
    DesiredStateLoader counting =
        (root, folder, revision) -> {
          renders.incrementAndGet();
          return real.load(root, folder, revision);
        };
    TargetSettings settings =
        new TargetSettings(
            "once",
            "swarm",
            "swarm",
            Mode.DETECT,
            true,
            Duration.ofHours(1),
            Duration.ofSeconds(5));
    SwarmTarget target = new SwarmTarget("once", STACK, api, counting, new SwarmDiffer());
    return new TargetReconciler(settings, target, source, new RunListener() {}, Clock.systemUTC());
  }

  @Test
  void runsOnTheSameCommitRenderItOnceAndANewCommitRendersAgain() throws Exception {
    try (JGitSource source =
        new JGitSource(
            GitSettings.of(repo.url(), FollowedRef.branch("main"), dir.resolve("data")))) {
      TargetReconciler reconciler = reconciler(source);

      DriftReport first = reconciler.reconcile(Trigger.poll());
      DriftReport second = reconciler.reconcile(Trigger.poll());

      assertThat(first.result()).isEqualTo(RunResult.DRIFT_DETECTED);
      assertThat(second.result()).isEqualTo(RunResult.DRIFT_DETECTED);
      assertThat(second.revision().commit()).isEqualTo(first.revision().commit());
      assertThat(second.objects()).extracting(o -> o.name()).contains(STACK + "_api");
      assertThat(renders).hasValue(1);

      String next =
          repo.write("swarm/docker-stack.yml", STACK_FILE.formatted(TestSwarm.IMAGE, "7200"))
              .commitAndPush("another command");
      DriftReport third = reconciler.reconcile(Trigger.poll());

      assertThat(third.revision().commit()).isEqualTo(next);
      assertThat(renders).hasValue(2);
    }
  }

  @Test
  void aLocalFolderRendersOnEveryRun() throws Exception {
    Path folder = dir.resolve("local");
    Files.createDirectories(folder.resolve("swarm"));
    Files.writeString(
        folder.resolve("swarm/docker-stack.yml"), STACK_FILE.formatted(TestSwarm.IMAGE, "3600"));
    TargetReconciler reconciler = reconciler(new LocalFolderSource(folder));

    reconciler.reconcile(Trigger.poll());
    reconciler.reconcile(Trigger.poll());

    assertThat(renders).hasValue(2);
  }
}
