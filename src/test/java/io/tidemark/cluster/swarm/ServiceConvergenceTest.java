package io.tidemark.cluster.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine's own signals that a write's rollout is under way, done, or never to come. */
class ServiceConvergenceTest {

  private static final Map<String, Object> CONTAINER =
      Map.of("Image", "busybox", "Args", List.of("sleep", "60"));

  private static Map<String, Object> service(Map<String, Object> container, String state) {
    Map<String, Object> spec =
        Map.of("TaskTemplate", Map.of("ContainerSpec", container, "Runtime", "container"));
    return state == null
        ? Map.of("Spec", spec)
        : Map.of("Spec", spec, "UpdateStatus", Map.of("State", state, "StartedAt", "t1"));
  }

  private static Map<String, Object> task(Map<String, Object> container, String desired) {
    return Map.of("DesiredState", desired, "Spec", Map.of("ContainerSpec", container));
  }

  @Test
  void aTaskMadeFromTheServicesTemplateIsNotDirtyAlthoughOnlyTheServiceNamesItsRuntime() {
    assertThat(
            ServiceConvergence.anyTaskDirty(
                service(CONTAINER, null), List.of(task(CONTAINER, "running"))))
        .isFalse();
  }

  @Test
  void aRunningTaskOfAnOlderTemplateIsDirtyAndAShutDownOneIsNot() {
    Map<String, Object> older = Map.of("Image", "busybox", "Args", List.of("sleep", "30"));
    assertThat(
            ServiceConvergence.anyTaskDirty(
                service(CONTAINER, null), List.of(task(older, "running"))))
        .isTrue();
    assertThat(
            ServiceConvergence.anyTaskDirty(
                service(CONTAINER, null), List.of(task(older, "shutdown"))))
        .isFalse();
  }

  @Test
  void aTaskOfAnOlderTemplateToldToStopButStillRunningIsDirty() {
    // Right after a stop-first update is written, the engine first tells the old task to stop;
    // for a moment no task of the new template exists and the update status has not moved.
    Map<String, Object> older = Map.of("Image", "busybox", "Args", List.of("sleep", "30"));
    Map<String, Object> stopping = stopping(older, "running");
    Map<String, Object> stopped = stopping(older, "shutdown");

    assertThat(ServiceConvergence.anyTaskDirty(service(CONTAINER, null), List.of(stopping)))
        .isTrue();
    assertThat(ServiceConvergence.anyTaskDirty(service(CONTAINER, null), List.of(stopped)))
        .isFalse();
  }

  /** A task the engine told to stop, in the state it has reached. */
  private static Map<String, Object> stopping(Map<String, Object> container, String state) {
    return Map.of(
        "DesiredState",
        "shutdown",
        "Status",
        Map.of("State", state),
        "Spec",
        Map.of("ContainerSpec", container));
  }

  @Test
  void aServiceWithoutTasksHasNothingToRollOut() {
    assertThat(ServiceConvergence.anyTaskDirty(service(CONTAINER, null), List.of())).isFalse();
  }

  @Test
  void anUpdateStatusLeftFromBeforeTheWriteDoesNotSpeakOfIt() {
    SwarmWriter.Rollout rollout = new SwarmWriter.Rollout("t1", "completed", Instant.now());
    assertThat(ServiceConvergence.updateCovers(service(CONTAINER, "completed"), rollout)).isFalse();
    assertThat(
            ServiceConvergence.updateCovers(
                service(CONTAINER, "rollback_completed"),
                new SwarmWriter.Rollout("t1", "rollback_completed", Instant.now())))
        .isFalse();
  }

  @Test
  void theStatusTheEngineClearsOnASpecChangeDoesNotSpeakOfTheUpdate() {
    // swarmkit's UpdateService sets UpdateStatus to nil with the new spec; the update sets it again
    // when it begins. In between, the old tasks still run and must not judge the service.
    SwarmWriter.Rollout afterUpdate = new SwarmWriter.Rollout("t1", "completed", Instant.now());
    assertThat(ServiceConvergence.updateCovers(service(CONTAINER, null), afterUpdate)).isFalse();
  }

  @Test
  void aStatusThatMovedSinceTheWriteOrAnUpdateUnderWaySpeaksOfIt() {
    SwarmWriter.Rollout afterUpdate = new SwarmWriter.Rollout("t1", "completed", Instant.now());
    assertThat(ServiceConvergence.updateCovers(service(CONTAINER, "rollback_started"), afterUpdate))
        .isTrue();
    SwarmWriter.Rollout duringUpdate = new SwarmWriter.Rollout("t1", "updating", Instant.now());
    assertThat(ServiceConvergence.updateCovers(service(CONTAINER, "updating"), duringUpdate))
        .isTrue();
    SwarmWriter.Rollout never = new SwarmWriter.Rollout("", "", Instant.now());
    assertThat(ServiceConvergence.updateCovers(service(CONTAINER, "updating"), never)).isTrue();
    assertThat(ServiceConvergence.updateCovers(service(CONTAINER, null), never)).isFalse();
  }
}
