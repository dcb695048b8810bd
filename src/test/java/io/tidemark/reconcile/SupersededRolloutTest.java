package io.tidemark.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import io.tidemark.testing.GitFixture;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A push that arrives while the previous one still rolls out on the real swarm: the older run stops
 * waiting (its report says it was superseded) and the newer revision is written at once. A request
 * that brings no newer commit leaves the wait alone. Requests go through the repository's feed, as
 * the service's webhooks and {@code POST /sync} do: the feed fetches, then asks the target.
 */
class SupersededRolloutTest {

  private static final String STACK = "tmsuper";
  private static final String SERVICE = STACK + "_web";

  @TempDir Path dir;
  private GitFixture repo;
  private DockerApi api;
  private JGitSource source;
  private RepositoryFeed feed;
  private TargetReconciler reconciler;
  private TargetRunner runner;

  @BeforeEach
  void setUp() throws Exception {
    api = TestSwarm.connect();
    TestSwarm.removeAll(api, STACK);
    repo = GitFixture.create(dir.resolve("git"));
    source =
        new JGitSource(GitSettings.of(repo.url(), FollowedRef.branch("main"), dir.resolve("data")));
    TargetSettings settings =
        new TargetSettings(
            "super",
            "swarm",
            "swarm",
            Mode.APPLY,
            true,
            Duration.ofHours(1),
            Duration.ofMinutes(2));
    SwarmTarget target =
        new SwarmTarget(
            "super", STACK, api, new SwarmStackLoader("super", STACK, Map.of()), new SwarmDiffer());
    feed =
        new RepositoryFeed(
            "default",
            new ObservedSource(source, Clock.systemUTC()),
            Duration.ofHours(1),
            Runnable::run,
            new RunListener() {},
            Clock.systemUTC());
    reconciler =
        new TargetReconciler(
            settings, target, feed.revisions(), new RunListener() {}, Clock.systemUTC());
    runner = new TargetRunner(reconciler);
    feed.subscribe(runner);
  }

  /** What a webhook or {@code POST /sync} does: fetch once, then ask the target for its run. */
  private CompletableFuture<DriftReport> push(Trigger trigger) {
    feed.refresh(trigger, runner);
    return runner.request(trigger);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (runner != null) {
      runner.close();
    }
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

  /**
   * Two replicas updated one at a time, 60 s apart: a rollout that outlasts the test. busybox's
   * sleep ignores SIGTERM, so a short grace period keeps the clean-up quick.
   */
  private static String stack(String release) {
    return """
        services:
          web:
            image: %s
            command: ["sleep", "3600"]
            stop_grace_period: 1s
            environment:
              RELEASE: "%s"
            deploy:
              replicas: 2
              update_config:
                parallelism: 1
                delay: 60s
        """
        .formatted(TestSwarm.IMAGE, release);
  }

  private static String release() {
    return TestSwarm.docker(
        "service",
        "inspect",
        SERVICE,
        "--format",
        "{{range .Spec.TaskTemplate.ContainerSpec.Env}}{{.}}{{end}}");
  }

  @Test
  void aPushDuringARolloutEndsTheOlderWaitAndIsAppliedAtOnce() throws Exception {
    repo.write("swarm/docker-stack.yml", stack("1")).commitAndPush("release 1");
    DriftReport created = push(Trigger.webhook("github", "d1")).get();
    assertThat(created.result()).as(created.toString()).isEqualTo(RunResult.APPLIED);

    repo.write("swarm/docker-stack.yml", stack("2")).commitAndPush("release 2");
    CompletableFuture<DriftReport> second = push(Trigger.webhook("github", "d2"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                release().equals("RELEASE=2")
                    && "updating"
                        .equals(
                            TestSwarm.docker(
                                "service",
                                "inspect",
                                SERVICE,
                                "--format",
                                "{{.UpdateStatus.State}}")));
    assertThat(second).isNotDone();

    // A sync that fetches nothing newer does not cut release 2's wait short.
    feed.refresh(Trigger.api(), runner);
    assertThat(reconciler.supersede()).as("same commit").isFalse();
    assertThat(second).isNotDone();

    repo.write("swarm/docker-stack.yml", stack("3")).commitAndPush("release 3");
    push(Trigger.webhook("github", "d3"));

    // Without the early end, release 2's wait would last through its 60 s update delay.
    await().atMost(Duration.ofSeconds(20)).until(second::isDone);
    DriftReport superseded = second.get();
    assertThat(superseded.result()).as(superseded.toString()).isEqualTo(RunResult.SUPERSEDED);
    assertThat(superseded.note()).contains("newer revision arrived while this run waited");
    assertThat(superseded.errors()).isEmpty();
    await().atMost(Duration.ofSeconds(20)).until(() -> release().equals("RELEASE=3"));
  }
}
