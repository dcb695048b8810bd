package io.tidemark.cluster.swarm;

import io.tidemark.model.Trees;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells, by the facts {@code docker stack deploy --detach=false} goes by, whether the tasks made
 * from a service's current spec all run: one per replica slot, or one per node of a global service.
 * The engine's own update state says {@code completed} only after the update delay and its monitor
 * period have also passed.
 */
final class TaskProgress {

  /** The engine's task states in the order a task goes through them; past running it has ended. */
  private static final List<String> STATES =
      List.of(
          "new",
          "allocated",
          "pending",
          "assigned",
          "accepted",
          "preparing",
          "ready",
          "starting",
          "running",
          "complete",
          "shutdown",
          "failed",
          "rejected");

  private static final int RUNNING = STATES.indexOf("running");

  /** What the CLI waits when the service names no monitor period. */
  static final Duration DEFAULT_MONITOR = Duration.ofSeconds(5);

  private TaskProgress() {}

  /**
   * Whether every slot (every node, for a global service) has a task of the current spec that is
   * wanted and running, with exactly as many as the service wants.
   *
   * @param upToDate the service's tasks made from its current spec (the engine's {@code
   *     _up-to-date} task filter)
   */
  static boolean allRunning(Map<String, Object> service, List<Map<String, Object>> upToDate) {
    Object replicas = Trees.at(service, "Spec", "Mode", "Replicated", "Replicas");
    boolean global = Trees.at(service, "Spec", "Mode", "Global") != null;
    if (replicas == null && !global) {
      return false; // jobs finish rather than run: the engine's own state judges them
    }
    // When a slot or node holds several tasks (a restart, a start-first update), the one with the
    // lowest wanted state stands for it, then the one least far along.
    Map<Object, Map<String, Object>> chosen = new HashMap<>();
    for (Map<String, Object> task : upToDate) {
      int desired = rank(task.get("DesiredState"));
      int observed = rank(Trees.at(task, "Status", "State"));
      if (desired < 0 || observed < 0) {
        continue;
      }
      Object place = global ? task.get("NodeID") : task.get("Slot");
      Map<String, Object> held = chosen.get(place);
      if (held != null) {
        int heldDesired = rank(held.get("DesiredState"));
        int heldObserved = rank(Trees.at(held, "Status", "State"));
        if (heldDesired < desired || (heldDesired == desired && heldObserved <= observed)) {
          continue;
        }
      }
      chosen.put(place, task);
    }
    long running =
        chosen.values().stream()
            .filter(t -> rank(t.get("DesiredState")) <= RUNNING)
            .filter(t -> rank(Trees.at(t, "Status", "State")) == RUNNING)
            .count();
    if (global) {
      return !chosen.isEmpty() && running == chosen.size();
    }
    return running == ((Number) replicas).longValue();
  }

  /** How long the tasks must keep running before the service counts as converged. */
  static Duration monitor(Map<String, Object> service) {
    Object nanos = Trees.at(service, "Spec", "UpdateConfig", "Monitor");
    return nanos instanceof Number n && n.longValue() > 0
        ? Duration.ofNanos(n.longValue())
        : DEFAULT_MONITOR;
  }

  private static int rank(Object state) {
    return state == null ? -1 : STATES.indexOf(state.toString());
  }
}
