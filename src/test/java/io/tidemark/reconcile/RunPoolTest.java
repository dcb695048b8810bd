package io.tidemark.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tidemark.model.Mode;
import io.tidemark.model.RevisionInfo;
import io.tidemark.model.Trigger;
import io.tidemark.report.DriftReport;
import io.tidemark.report.RunListener;
import io.tidemark.source.GitSource;
import io.tidemark.source.Revision;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With every worker busy and drift checks of many targets waiting, a run a push asked for (by
 * webhook, or a new commit the repository's poll found) starts before them: a push is never served
 * after hundreds of due drift checks.
 */
class RunPoolTest {

  private final RunPool pool = new RunPool("order-test", 1);
  private final TargetRunnerTest.GatedSource source = new TargetRunnerTest.GatedSource();
  private final List<String> started = new CopyOnWriteArrayList<>();
  private final Map<String, TargetRunner> runners = new LinkedHashMap<>();

  @AfterEach
  void stop() {
    runners.values().forEach(TargetRunner::close);
    pool.shutdownNow();
  }

  private TargetRunner runner(String name) {
    return runner(name, source);
  }

  private TargetRunner runner(String name, GitSource revisions) {
    TargetSettings settings =
        new TargetSettings(
            name, "swarm", ".", Mode.DETECT, false, Duration.ofHours(1), Duration.ZERO);
    RunListener listener =
        new RunListener() {
          @Override
          public void completed(DriftReport report) {
            started.add(report.target()); // one worker: runs end in the order they start
          }
        };
    TargetRunner runner =
        new TargetRunner(
            new TargetReconciler(
                settings,
                new TargetRunnerTest.EmptyTarget(),
                revisions,
                listener,
                Clock.systemUTC()),
            pool);
    runners.put(name, runner);
    return runner;
  }

  /** Occupies the only worker with a run of {@code busy} that waits for the source's go. */
  private CompletableFuture<DriftReport> occupyTheWorker() {
    CompletableFuture<DriftReport> run = runner("busy").request(Trigger.poll());
    await().until(() -> source.fetches.get() == 1);
    return run;
  }

  @Test
  void aPushedRunStartsBeforeDriftChecksQueuedBeforeIt() throws Exception {
    CompletableFuture<DriftReport> busy = occupyTheWorker();
    List<CompletableFuture<DriftReport>> runs = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      runs.add(runner("poll" + i).request(Trigger.poll()));
    }
    runs.add(runner("pushed").request(Trigger.webhook("github", "d1")));
    runs.add(runner("synced").request(Trigger.api()));

    source.go.countDown();
    busy.get(10, TimeUnit.SECONDS);
    for (CompletableFuture<DriftReport> run : runs) {
      run.get(10, TimeUnit.SECONDS);
    }

    assertThat(started)
        .containsExactly("busy", "pushed", "synced", "poll1", "poll2", "poll3", "poll4", "poll5");
  }

  @Test
  void aPushJoiningAQueuedDriftCheckHurriesItAndItRunsOnce() throws Exception {
    CompletableFuture<DriftReport> busy = occupyTheWorker();
    TargetRunner first = runner("first");
    CompletableFuture<DriftReport> firstPoll = first.request(Trigger.poll());
    CompletableFuture<DriftReport> secondPoll = runner("second").request(Trigger.poll());
    TargetRunner joined = runner("joined");
    CompletableFuture<DriftReport> check = joined.request(Trigger.poll());
    CompletableFuture<DriftReport> push = joined.request(Trigger.webhook("github", "d2"));
    assertThat(push).isSameAs(check); // coalesced into the queued run, as before

    source.go.countDown();
    busy.get(10, TimeUnit.SECONDS);
    push.get(10, TimeUnit.SECONDS);
    firstPoll.get(10, TimeUnit.SECONDS);
    secondPoll.get(10, TimeUnit.SECONDS);

    assertThat(started).containsExactly("busy", "joined", "first", "second");
  }

  @Test
  void aCommitTheRepositoryPollFoundRunsBeforeDriftChecks() throws Exception {
    MovingSource remote = new MovingSource();
    RepositoryFeed feed =
        new RepositoryFeed(
            "r",
            new ObservedSource(remote, Clock.systemUTC()),
            Duration.ofHours(1),
            Runnable::run,
            new RunListener() {},
            Clock.systemUTC());
    TargetRunner moved = runner("moved", feed.revisions());
    feed.subscribe(moved);
    feed.refresh(Trigger.poll()); // the first fetch runs every target, as ordinary runs
    await().until(() -> started.contains("moved"));

    CompletableFuture<DriftReport> busy = occupyTheWorker();
    List<CompletableFuture<DriftReport>> checks = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      checks.add(runner("poll" + i).request(Trigger.poll()));
    }
    remote.head = "m2";
    assertThat(feed.refresh(Trigger.poll())).containsExactly("moved");

    source.go.countDown();
    busy.get(10, TimeUnit.SECONDS);
    for (CompletableFuture<DriftReport> check : checks) {
      check.get(10, TimeUnit.SECONDS);
    }
    await().until(() -> !moved.running() && !moved.queued() && started.size() == 6);

    assertThat(started).containsExactly("moved", "busy", "moved", "poll1", "poll2", "poll3");
  }

  /** A remote whose head the test moves; every fetch sees it at once. */
  static final class MovingSource implements GitSource {
    volatile String head = "m1";

    @Override
    public Revision sync() {
      return new Revision(new RevisionInfo(head, "a", "m", Instant.EPOCH), Path.of("."));
    }

    @Override
    public Optional<Revision> current() {
      return Optional.of(sync());
    }

    @Override
    public String url() {
      return "file:///moving";
    }

    @Override
    public String ref() {
      return "main";
    }

    @Override
    public boolean tracks(String refName) {
      return true;
    }
  }
}
