package io.tidemark.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tidemark.model.Mode;
import io.tidemark.report.RunListener;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Only a leader polls: polls start when leadership is gained and stop when it is lost. */
class LeaderPollingTest {

  private final TargetRunnerTest.GatedSource source = new TargetRunnerTest.GatedSource();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final TargetRunner runner = runner(Mode.DETECT);
  private final TargetRunner suspended = runner(Mode.SUSPEND);
  private final LeaderPolling polling = new LeaderPolling(() -> List.of(runner, suspended), timer);

  @AfterEach
  void stop() {
    timer.shutdownNow();
    runner.close();
    suspended.close();
  }

  @Test
  void pollsNothingUntilThisReplicaLeads() {
    source.go.countDown();

    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> source.fetches.get() == 0);
    assertThat(polling.polling()).isFalse();
  }

  @Test
  void pollsWhileLeadingAndStopsOnLosingLeadership() {
    source.go.countDown();

    polling.becameLeader();
    await().atMost(Duration.ofSeconds(5)).until(() -> source.fetches.get() >= 3);
    polling.lostLeadership();
    await().atMost(Duration.ofSeconds(2)).until(() -> !runner.running() && !runner.queued());
    int after = source.fetches.get();

    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> source.fetches.get() == after);
    assertThat(polling.polling()).isFalse();
  }

  @Test
  void pollsAgainWhenLeadershipComesBack() {
    source.go.countDown();
    polling.becameLeader();
    polling.becameLeader(); // a repeated callback must not double the polls
    polling.lostLeadership();
    await().atMost(Duration.ofSeconds(2)).until(() -> !runner.running() && !runner.queued());
    int before = source.fetches.get();

    polling.becameLeader();

    await().atMost(Duration.ofSeconds(5)).until(() -> source.fetches.get() > before);
    assertThat(polling.polling()).isTrue();
  }

  private TargetRunner runner(Mode mode) {
    TargetSettings settings =
        new TargetSettings("t", "swarm", ".", mode, false, Duration.ofMillis(50), Duration.ZERO);
    return new TargetRunner(
        new TargetReconciler(
            settings,
            new TargetRunnerTest.EmptyTarget(),
            source,
            new RunListener() {},
            Clock.systemUTC()));
  }
}
