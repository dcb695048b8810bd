package io.tidemark.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tidemark.concurrent.Workers;
import io.tidemark.desired.DesiredStateLoader;
import io.tidemark.model.ApplyResult;
import io.tidemark.model.DesiredState;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.LiveState;
import io.tidemark.model.Mode;
import io.tidemark.model.ObjectHealth;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.Plan;
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
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The scheduling contract: one run at a time per target, and a burst of triggers coalesces. */
class TargetRunnerTest {

  /** A source whose fetches wait for the test's go, and which counts them. */
  static final class GatedSource implements GitSource {
    final CountDownLatch go = new CountDownLatch(1);
    final AtomicInteger fetches = new AtomicInteger();
    final AtomicInteger concurrent = new AtomicInteger();
    volatile int maxConcurrent;
    volatile String head = "c1";

    @Override
    public Revision sync() {
      int now = concurrent.incrementAndGet();
      maxConcurrent = Math.max(maxConcurrent, now);
      fetches.incrementAndGet();
      // A fetch sees the remote as it is when the fetch starts.
      String seen = head;
      try {
        go.await(10, TimeUnit.SECONDS);
        return new Revision(new RevisionInfo(seen, "a", "m", Instant.EPOCH), Path.of("."));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      } finally {
        concurrent.decrementAndGet();
      }
    }

    @Override
    public Optional<Revision> current() {
      return Optional.empty();
    }

    @Override
    public String url() {
      return "file:///repo";
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

  /** A cluster with nothing in it and nothing desired: every run is in sync. */
  static class EmptyTarget implements io.tidemark.cluster.Target {
    @Override
    public String name() {
      return "t";
    }

    @Override
    public DesiredStateLoader loader() {
      return (root, folder, revision) -> DesiredState.of(List.of());
    }

    @Override
    public LiveState snapshot(Set<ObjectKey> desired) {
      return new LiveState(List.of());
    }

    @Override
    public Comparator<ObjectKey> applyOrder() {
      return Comparator.naturalOrder();
    }

    @Override
    public ApplyResult apply(Plan plan, RevisionInfo revision, boolean prune) {
      return ApplyResult.none();
    }

    @Override
    public List<ObjectHealth> awaitHealthy(Plan plan, ApplyResult applied, Duration timeout) {
      return List.of();
    }

    @Override
    public void ping() {}

    @Override
    public List<FieldDiff> compare(
        io.tidemark.model.DesiredObject desired, io.tidemark.model.LiveObject live) {
      return List.of();
    }
  }

  private final GatedSource source = new GatedSource();
  private final List<DriftReport> reports = new ArrayList<>();

  private TargetRunner runner() {
    TargetSettings settings =
        new TargetSettings(
            "t", "swarm", ".", Mode.DETECT, false, Duration.ofHours(1), Duration.ZERO);
    RunListener listener =
        new RunListener() {
          @Override
          public void completed(DriftReport report) {
            synchronized (reports) {
              reports.add(report);
            }
          }
        };
    return new TargetRunner(
        new TargetReconciler(settings, new EmptyTarget(), source, listener, Clock.systemUTC()));
  }

  @Test
  void coalescesABurstOfTriggersDuringARunIntoOneFollowUp() throws Exception {
    try (TargetRunner runner = runner()) {
      CompletableFuture<DriftReport> first = runner.request(Trigger.poll());
      await().until(() -> source.fetches.get() == 1);

      List<CompletableFuture<DriftReport>> burst = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        burst.add(runner.request(Trigger.webhook("github", "d" + i)));
      }
      source.head = "c2";
      source.go.countDown();

      DriftReport firstReport = first.get(10, TimeUnit.SECONDS);
      DriftReport followUp = burst.get(49).get(10, TimeUnit.SECONDS);
      assertThat(burst).allSatisfy(f -> assertThat(f.get()).isSameAs(followUp));
      assertThat(firstReport.revision().commit()).isEqualTo("c1");
      assertThat(followUp.revision().commit()).isEqualTo("c2");
      assertThat(followUp.trigger()).isEqualTo(Trigger.webhook("github", "d0"));
      assertThat(source.fetches.get()).isEqualTo(2);
      assertThat(source.maxConcurrent).isEqualTo(1);
    }
  }

  @Test
  void aTriggerAfterTheFollowUpStartedGetsARunOfItsOwn() throws Exception {
    source.go.countDown();
    try (TargetRunner runner = runner()) {
      DriftReport a = runner.request(Trigger.api()).get(10, TimeUnit.SECONDS);
      DriftReport b = runner.request(Trigger.api()).get(10, TimeUnit.SECONDS);
      assertThat(a.id()).isNotEqualTo(b.id());
      assertThat(runner.lastReport()).isSameAs(b);
      assertThat(reports).hasSize(2);
    }
  }

  @Test
  void manyTargetsShareABoundedPoolAndEachRunsOneAtATime() throws Exception {
    source.go.countDown();
    java.util.concurrent.ExecutorService pool = Workers.fixed("shared-test", 2);
    try {
      List<TargetRunner> many = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        TargetSettings settings =
            new TargetSettings(
                "t" + i, "swarm", ".", Mode.DETECT, false, Duration.ofHours(1), Duration.ZERO);
        many.add(
            new TargetRunner(
                new TargetReconciler(
                    settings, new EmptyTarget(), source, new RunListener() {}, Clock.systemUTC()),
                pool));
      }
      List<CompletableFuture<DriftReport>> runs = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (TargetRunner runner : many) {
          runs.add(runner.request(Trigger.poll()));
        }
      }
      for (CompletableFuture<DriftReport> run : runs) {
        run.get(10, TimeUnit.SECONDS);
      }
      assertThat(source.maxConcurrent).isLessThanOrEqualTo(2);
      assertThat(Thread.getAllStackTraces().keySet())
          .filteredOn(t -> t.getName().startsWith("shared-test"))
          .hasSizeLessThanOrEqualTo(2);
      many.forEach(TargetRunner::close);
    } finally {
      pool.shutdownNow();
    }
  }
}
