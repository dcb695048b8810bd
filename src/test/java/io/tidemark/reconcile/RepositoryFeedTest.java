package io.tidemark.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tidemark.cluster.swarm.SwarmStackLoader;
import io.tidemark.concurrent.Workers;
import io.tidemark.desired.DesiredStateLoader;
import io.tidemark.model.Mode;
import io.tidemark.model.Trigger;
import io.tidemark.report.DriftReport;
import io.tidemark.report.RunListener;
import io.tidemark.source.FollowedRef;
import io.tidemark.source.GitSettings;
import io.tidemark.source.GitSource;
import io.tidemark.source.JGitSource;
import io.tidemark.source.Revision;
import io.tidemark.source.SourceException;
import io.tidemark.testing.GitFixture;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One repository feeding several targets, on a real repository over file://: one fetch per refresh
 * whatever the number of targets, and a push runs only the targets whose files it changed.
 */
class RepositoryFeedTest {

  private static final String STACK =
      "services:\n  web:\n    image: tidemark-test/busybox:1\n    command: [\"sleep\", \"1d\"]\n";

  @TempDir Path temp;
  private GitFixture repo;
  private JGitSource git;
  private final AtomicInteger fetches = new AtomicInteger();
  private final Map<String, List<DriftReport>> runs = new ConcurrentHashMap<>();
  private final ExecutorService pool = Workers.fixed("feed-test", 2);
  private final List<TargetRunner> runners = new ArrayList<>();
  private RepositoryFeed feed;

  @BeforeEach
  void setUp() {
    repo = GitFixture.create(temp.resolve("repo"));
    repo.write("a/docker-stack.yml", STACK)
        .write("b/docker-stack.yml", STACK)
        .write(
            "c/docker-stack.yml",
            "services:\n  web:\n    image: tidemark-test/busybox:1\n    env_file: ../shared/c.env\n")
        .write("shared/c.env", "LEVEL=1\n")
        .write("README.md", "platform\n");
    repo.commitAndPush("three stacks");
    git =
        new JGitSource(
            GitSettings.of(repo.url(), FollowedRef.branch("main"), temp.resolve("work")));
    feed =
        new RepositoryFeed(
            "default",
            new ObservedSource(counting(git), Clock.systemUTC()),
            Duration.ofHours(1),
            pool,
            new RunListener() {},
            Clock.systemUTC());
    for (String name : List.of("a", "b", "c")) {
      TargetRunner runner = runner(name);
      runners.add(runner);
      feed.subscribe(runner);
    }
  }

  @AfterEach
  void tearDown() {
    runners.forEach(TargetRunner::close);
    pool.shutdownNow();
    git.close();
    repo.close();
  }

  @Test
  void theFirstFetchRunsEveryTargetOnOneFetch() {
    assertThat(feed.refresh(Trigger.poll())).containsExactlyInAnyOrder("a", "b", "c");

    awaitRuns("a", 1);
    awaitRuns("b", 1);
    awaitRuns("c", 1);
    assertThat(fetches.get()).isEqualTo(1);
  }

  @Test
  void aPushToOneFolderRunsThatTargetAlone() {
    firstRound();
    repo.write("b/docker-stack.yml", STACK.replace("1d", "2d"));
    String commit = repo.commitAndPush("b sleeps longer");

    assertThat(feed.refresh(Trigger.webhook("github", "d1"))).containsExactly("b");

    awaitRuns("b", 2);
    assertThat(last("b").revision().commit()).isEqualTo(commit);
    assertThat(runs.get("a")).hasSize(1);
    assertThat(runs.get("c")).hasSize(1);
    assertThat(fetches.get()).isEqualTo(2);
  }

  @Test
  void aChangedEnvFileOutsideTheFolderRunsTheTargetThatReadsIt() {
    firstRound();
    repo.write("shared/c.env", "LEVEL=2\n");
    repo.commitAndPush("c gets level 2");

    assertThat(feed.refresh(Trigger.poll())).containsExactly("c");
    awaitRuns("c", 2);
  }

  @Test
  void aPushThatTouchesNoTargetRunsNoneAndAFetchWithoutAMoveNeither() {
    firstRound();
    repo.write("README.md", "platform, documented\n");
    repo.commitAndPush("docs");

    assertThat(feed.refresh(Trigger.poll())).isEmpty();
    assertThat(feed.refresh(Trigger.poll())).isEmpty();
    assertThat(fetches.get()).isEqualTo(3);
    assertThat(runs.values()).allSatisfy(r -> assertThat(r).hasSize(1));
  }

  @Test
  void aTargetsDriftCheckReadsTheSharedRevisionWithoutFetching() throws Exception {
    firstRound();
    repo.write("README.md", "platform, documented\n");
    String docs = repo.commitAndPush("docs");
    feed.refresh(Trigger.poll());

    DriftReport drift = runners.get(0).request(Trigger.poll()).get();

    assertThat(drift.revision().commit()).isEqualTo(docs);
    assertThat(fetches.get()).isEqualTo(2);
  }

  private void firstRound() {
    feed.refresh(Trigger.poll());
    for (String name : List.of("a", "b", "c")) {
      awaitRuns(name, 1);
    }
  }

  private void awaitRuns(String target, int count) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> runs.getOrDefault(target, List.of()).size() >= count);
  }

  private DriftReport last(String target) {
    List<DriftReport> reports = runs.get(target);
    return reports.get(reports.size() - 1);
  }

  private TargetRunner runner(String name) {
    TargetSettings settings =
        new TargetSettings(
            name, "swarm", name, Mode.DETECT, false, Duration.ofHours(1), Duration.ZERO);
    DesiredStateLoader loader = new SwarmStackLoader(name, name, Map.of());
    RunListener listener =
        new RunListener() {
          @Override
          public void completed(DriftReport report) {
            runs.computeIfAbsent(
                    report.target(), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(report);
          }
        };
    return new TargetRunner(
        new TargetReconciler(
            settings, new LoadingTarget(loader), feed.revisions(), listener, Clock.systemUTC()),
        pool);
  }

  private GitSource counting(JGitSource delegate) {
    return new GitSource() {
      @Override
      public Revision sync() throws SourceException {
        fetches.incrementAndGet();
        return delegate.sync();
      }

      @Override
      public Optional<Revision> current() {
        return delegate.current();
      }

      @Override
      public String url() {
        return delegate.url();
      }

      @Override
      public String ref() {
        return delegate.ref();
      }

      @Override
      public boolean tracks(String refName) {
        return delegate.tracks(refName);
      }

      @Override
      public Optional<Set<String>> changedPaths(String from, String to) {
        return delegate.changedPaths(from, to);
      }
    };
  }

  /** A target that renders with a real loader and finds its cluster empty. */
  static final class LoadingTarget extends TargetRunnerTest.EmptyTarget {
    private final DesiredStateLoader loader;

    LoadingTarget(DesiredStateLoader loader) {
      this.loader = loader;
    }

    @Override
    public DesiredStateLoader loader() {
      return loader;
    }
  }
}
