package io.tidemark.cluster.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CLI's facts for a converged service, judged on literal tasks of the new spec. */
class TaskProgressTest {

  private static Map<String, Object> replicated(int replicas) {
    return Map.of("Spec", Map.of("Mode", Map.of("Replicated", Map.of("Replicas", replicas))));
  }

  private static Map<String, Object> task(Object place, String desired, String state) {
    return Map.of(
        "Slot",
        place,
        "NodeID",
        "n" + place,
        "DesiredState",
        desired,
        "Status",
        Map.of("State", state));
  }

  @Test
  void aReplicatedServiceConvergesWhenEverySlotRunsATaskOfTheNewSpec() {
    assertThat(
            TaskProgress.allRunning(
                replicated(2),
                List.of(task(1, "running", "running"), task(2, "running", "running"))))
        .isTrue();
  }

  @Test
  void aSlotWhoseNewTaskIsStillStartingKeepsTheServiceUnconverged() {
    assertThat(
            TaskProgress.allRunning(
                replicated(2),
                List.of(task(1, "running", "running"), task(2, "running", "starting"))))
        .isFalse();
  }

  @Test
  void aFailedAttemptInASlotIsOutweighedByItsReplacementThatRuns() {
    assertThat(
            TaskProgress.allRunning(
                replicated(1),
                List.of(task(1, "shutdown", "failed"), task(1, "running", "running"))))
        .isTrue();
  }

  @Test
  void aTaskBeingStoppedDoesNotCountAsRunning() {
    assertThat(TaskProgress.allRunning(replicated(1), List.of(task(1, "shutdown", "running"))))
        .isFalse();
  }

  @Test
  void aGlobalServiceWithoutAnyTaskOfTheNewSpecYetHasNotConverged() {
    Map<String, Object> global = Map.of("Spec", Map.of("Mode", Map.of("Global", Map.of())));
    assertThat(TaskProgress.allRunning(global, List.of())).isFalse();
    assertThat(TaskProgress.allRunning(global, List.of(task(1, "running", "running")))).isTrue();
  }

  @Test
  void theMonitorPeriodIsTheServicesOwnOrFiveSeconds() {
    assertThat(TaskProgress.monitor(replicated(1))).isEqualTo(Duration.ofSeconds(5));
    Map<String, Object> monitored =
        Map.of("Spec", Map.of("UpdateConfig", Map.of("Monitor", 2_000_000_000L)));
    assertThat(TaskProgress.monitor(monitored)).isEqualTo(Duration.ofSeconds(2));
  }
}
