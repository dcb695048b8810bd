package io.tidemark.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tidemark.lease.ShardMap;
import io.tidemark.model.Mode;
import io.tidemark.model.Trigger;
import io.tidemark.report.DriftReport;
import io.tidemark.report.RunListener;
import io.tidemark.report.RunResult;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A replica runs the targets of the shards it holds and no others; a shard lost stops its targets,
 * and a run it cuts short is recorded as interrupted by the handover, not as failed.
 */
class ShardPollingTest {

  private final TargetRunnerTest.GatedSource source = new TargetRunnerTest.GatedSource();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final List<DriftReport> reports = new CopyOnWriteArrayList<>();
  private final TargetRunner runner = runner();
  private final ShardMap map = new ShardMap(2);
  private final int shard = map.shardOf("t");
  private final ShardPolling polling =
      new ShardPolling(map, List::of, () -> List.of(runner), timer, Duration.ofMillis(500));

  @AfterEach
  void stop() {
    timer.shutdownNow();
    source.go.countDown();
    runner.close();
  }

  @Test
  void runsNothingUntilItsShardIsHeld() {
    source.go.countDown();
    runner.handOver(); // as Reconcilers builds every runner

    var refused = runner.request(Trigger.api());
    await().atMost(Duration.ofSeconds(2)).until(refused::isCancelled);
    polling.gained(1 - shard);
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> source.fetches.get() == 0);
    assertThat(polling.holds("t")).isFalse();
  }

  @Test
  void runsTheTargetsOfAShardOnceItIsGained() {
    source.go.countDown();
    runner.handOver();

    polling.gained(shard);

    await().atMost(Duration.ofSeconds(5)).until(() -> source.fetches.get() >= 2);
    assertThat(polling.holds("t")).isTrue();
    assertThat(reports).allMatch(r -> r.result() != RunResult.INTERRUPTED);
  }

  @Test
  void aRunCutByTheHandoverIsRecordedAsInterruptedByItAndNothingRunsAfter() {
    polling.gained(shard);
    await().atMost(Duration.ofSeconds(5)).until(() -> source.concurrent.get() == 1);

    polling.lost(shard); // the run waits on its fetch past the 500 ms the handover allows

    assertThat(reports).hasSize(1);
    assertThat(reports.get(0).result()).isEqualTo(RunResult.INTERRUPTED);
    assertThat(reports.get(0).note())
        .contains("handed the target's shard over to another replica")
        .contains("that replica's next run completes the reconcile");
    assertThat(runner.active()).isFalse();
    source.go.countDown();
    int after = source.fetches.get();
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> source.fetches.get() == after);
    assertThat(reports).hasSize(1); // the cut run's own end is not recorded a second time
  }

  private TargetRunner runner() {
    TargetSettings settings =
        new TargetSettings(
            "t", "swarm", ".", Mode.DETECT, false, Duration.ofMillis(50), Duration.ZERO);
    return new TargetRunner(
        new TargetReconciler(
            settings,
            new TargetRunnerTest.EmptyTarget(),
            source,
            new RunListener() {
              @Override
              public void completed(DriftReport report) {
                reports.add(report);
              }
            },
            Clock.systemUTC()));
  }
}
