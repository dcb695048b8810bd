package io.tidemark.cluster.swarm;

import io.tidemark.cluster.TargetException;
import io.tidemark.model.ObjectHealth;
import io.tidemark.model.ObjectHealth.HealthStatus;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.Trees;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Judges whether Swarm services have converged: its update finished (a rollback or a pause is a
 * failure) and as many tasks run as it wants. An update still under way counts as converged once
 * every task of the new spec has run for the service's monitor period, as {@code docker stack
 * deploy --detach=false} decides. A task that the engine rejected (an image that cannot be pulled,
 * a placement that fits no node) makes the service degraded at once, with the task's error.
 */
final class ServiceConvergence {

  private static final int CHUNK = 50;
  private static final java.time.Duration ROLLOUT_GRACE = java.time.Duration.ofSeconds(10);

  private final DockerApi api;

  /** Since when each updating service's new tasks have all run, with the spec they run. */
  private final Map<String, Steady> steady = new java.util.concurrent.ConcurrentHashMap<>();

  private record Steady(int spec, Instant since, java.time.Duration monitor) {
    Instant due() {
      return since.plus(monitor);
    }
  }

  ServiceConvergence(DockerApi api) {
    this.api = api;
  }

  /**
   * Judges every given service with two requests per 50 services (the services, and their tasks),
   * and one more per 50 services whose update is under way; a service that no longer exists is
   * unknown.
   */
  Map<ObjectKey, ObjectHealth> check(
      Collection<ObjectKey> keys, Map<String, SwarmWriter.Rollout> rollouts)
      throws TargetException {
    Map<String, ObjectKey> byName = new HashMap<>();
    keys.forEach(k -> byName.put(k.name(), k));
    Map<String, Map<String, Object>> servicesById = new HashMap<>();
    for (List<String> names : chunks(List.copyOf(byName.keySet()))) {
      // The engine's name filter matches prefixes too: keep exact names only.
      for (Map<String, Object> service :
          api.getArray("/services?filters=" + DockerApi.filter("name", names))) {
        if (byName.containsKey(String.valueOf(Trees.at(service, "Spec", "Name")))) {
          servicesById.put(String.valueOf(service.get("ID")), service);
        }
      }
    }
    Map<String, List<Map<String, Object>>> tasksByService = new HashMap<>();
    for (List<String> chunk : chunks(List.copyOf(servicesById.keySet()))) {
      for (Map<String, Object> task :
          api.getArray("/tasks?filters=" + DockerApi.filter("service", chunk))) {
        tasksByService
            .computeIfAbsent(String.valueOf(task.get("ServiceID")), id -> new ArrayList<>())
            .add(task);
      }
    }
    Map<ObjectKey, ObjectHealth> out = new LinkedHashMap<>();
    keys.forEach(k -> out.put(k, new ObjectHealth(k, HealthStatus.UNKNOWN, "service not found")));
    servicesById.forEach(
        (id, service) -> {
          ObjectKey key = byName.get(String.valueOf(Trees.at(service, "Spec", "Name")));
          List<Map<String, Object>> tasks = tasksByService.getOrDefault(id, List.of());
          SwarmWriter.Rollout rollout = rollouts.get(key.name());
          if (rollout == null || updateCovers(service, rollout)) {
            rollouts.remove(key.name());
            out.put(key, judge(key, service, tasks));
          } else if (!anyTaskDirty(service, tasks) || graceOver(rollout)) {
            // The engine starts no update when no task runs an older template (a service scaled
            // to zero, a change it deems no-op): the tasks say it all, and the status of an
            // earlier update is not about this write.
            rollouts.remove(key.name());
            out.put(key, judge(key, withoutUpdateStatus(service), tasks));
          } else {
            out.put(key, new ObjectHealth(key, HealthStatus.PROGRESSING, "update not started yet"));
          }
        });
    Map<String, ObjectKey> updating = new HashMap<>();
    servicesById.forEach(
        (id, service) -> {
          ObjectKey key = byName.get(String.valueOf(Trees.at(service, "Spec", "Name")));
          boolean underWay = "updating".equals(Trees.at(service, "UpdateStatus", "State"));
          if (underWay && out.get(key).status() == HealthStatus.PROGRESSING) {
            updating.put(id, key);
          } else {
            steady.remove(id);
          }
        });
    if (!updating.isEmpty()) {
      out.putAll(steadyUpdates(updating, servicesById));
    }
    return out;
  }

  /**
   * Judges services whose update the engine still runs by their tasks of the new spec: converged
   * once all of them have run for the monitor period without a break, though the engine may still
   * wait out the update delay and its own monitor before it says {@code completed}.
   */
  private Map<ObjectKey, ObjectHealth> steadyUpdates(
      Map<String, ObjectKey> updating, Map<String, Map<String, Object>> servicesById)
      throws TargetException {
    Map<String, List<Map<String, Object>>> fresh = new HashMap<>();
    for (List<String> chunk : chunks(List.copyOf(updating.keySet()))) {
      // The engine's own test of a task against the service's spec, the one the CLI asks for.
      String filters = DockerApi.filters(Map.of("service", chunk, "_up-to-date", List.of("true")));
      for (Map<String, Object> task : api.getArray("/tasks?filters=" + filters)) {
        fresh
            .computeIfAbsent(String.valueOf(task.get("ServiceID")), id -> new ArrayList<>())
            .add(task);
      }
    }
    Map<ObjectKey, ObjectHealth> out = new HashMap<>();
    Instant now = Instant.now();
    updating.forEach(
        (id, key) -> {
          Map<String, Object> service = servicesById.get(id);
          if (!TaskProgress.allRunning(service, fresh.getOrDefault(id, List.of()))) {
            steady.remove(id);
            return;
          }
          int spec = Objects.hashCode(service.get("Spec"));
          java.time.Duration monitor = TaskProgress.monitor(service);
          Steady since =
              steady.merge(
                  id,
                  new Steady(spec, now, monitor),
                  (old, next) -> old.spec() == spec ? old : next);
          if (!now.isBefore(since.due())) {
            steady.remove(id);
            out.put(
                key,
                new ObjectHealth(
                    key,
                    HealthStatus.HEALTHY,
                    "every task of the new spec has run for "
                        + monitor.toMillis()
                        + " ms (the engine's update is still under way)"));
          } else {
            out.put(
                key,
                new ObjectHealth(
                    key,
                    HealthStatus.PROGRESSING,
                    "update updating; new tasks running, monitoring"));
          }
        });
    return out;
  }

  /**
   * When the soonest monitor period still to come ends, if any: one already over belongs to a wait
   * that ended before it (a superseded run), and must not make the poll spin.
   */
  java.util.Optional<Instant> nextDue() {
    Instant now = Instant.now();
    return steady.values().stream()
        .map(Steady::due)
        .filter(due -> due.isAfter(now))
        .min(Instant::compareTo);
  }

  /**
   * Whether the service's update status speaks of the write that asked for a rollout: an update
   * began after it, the status moved since, or an update was under way when it came (the engine
   * then carries on with the new template under the same start time).
   */
  static boolean updateCovers(Map<String, Object> service, SwarmWriter.Rollout rollout) {
    Object startedAt = Trees.at(service, "UpdateStatus", "StartedAt");
    Object state = Trees.at(service, "UpdateStatus", "State");
    String start = startedAt == null ? "" : startedAt.toString();
    String now = state == null ? "" : state.toString();
    if (start.isEmpty() && now.isEmpty()) {
      // The engine clears the update status on every spec change (swarmkit's UpdateService), and
      // sets it again only when the update begins: no status yet is the moment between the two,
      // not news of the update. Read as "moved since", it had the old tasks judge the service, and
      // a rolling update was now and then reported converged 2 ms after its write.
      return false;
    }
    return !start.equals(rollout.previousStart())
        || !now.equals(rollout.previousState())
        || now.equals("updating")
        || now.equals("rollback_started");
  }

  /**
   * A template change that the engine chose not to roll out although a task differs (a placement
   * change the running tasks still satisfy) never starts an update: after a grace period the tasks
   * are judged as they are.
   */
  private static boolean graceOver(SwarmWriter.Rollout rollout) {
    return Instant.now().isAfter(rollout.sentAt().plus(ROLLOUT_GRACE));
  }

  /**
   * Whether a task that should run was made from another task template than the service's: the
   * engine's own reason to start a rolling update. The service side carries {@code Runtime}, which
   * the engine derives and does not copy to tasks.
   */
  @SuppressWarnings("unchecked")
  static boolean anyTaskDirty(Map<String, Object> service, List<Map<String, Object>> tasks) {
    Object template = Trees.at(service, "Spec", "TaskTemplate");
    Map<String, Object> wanted =
        template instanceof Map<?, ?> m ? new HashMap<>((Map<String, Object>) m) : new HashMap<>();
    wanted.remove("Runtime");
    for (Map<String, Object> task : tasks) {
      // A task the engine has just told to stop but that still runs is the first step of a
      // stop-first rollout, taken before the update status moves: it counts, or the service would
      // be judged by the old task alone and reported converged before its new task exists.
      boolean toRun = "running".equals(task.get("DesiredState"));
      boolean stillRunning = "running".equals(Trees.at(task, "Status", "State"));
      if (!toRun && !stillRunning) {
        continue;
      }
      Map<String, Object> spec =
          task.get("Spec") instanceof Map<?, ?> m
              ? new HashMap<>((Map<String, Object>) m)
              : new HashMap<>();
      spec.remove("Runtime");
      if (!spec.equals(wanted)) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, Object> withoutUpdateStatus(Map<String, Object> service) {
    Map<String, Object> copy = new HashMap<>(service);
    copy.remove("UpdateStatus");
    return copy;
  }

  @SuppressWarnings("unchecked")
  static ObjectHealth judge(
      ObjectKey key, Map<String, Object> service, List<Map<String, Object>> tasks) {
    Object state = Trees.at(service, "UpdateStatus", "State");
    if (state != null) {
      String s = state.toString();
      String message = String.valueOf(Trees.at(service, "UpdateStatus", "Message"));
      if (s.equals("rollback_started")
          || s.equals("rollback_completed")
          || s.equals("rollback_paused")
          || s.equals("paused")) {
        return new ObjectHealth(key, HealthStatus.DEGRADED, "update " + s + ": " + message);
      }
      if (!s.equals("completed")) {
        return new ObjectHealth(key, HealthStatus.PROGRESSING, "update " + s);
      }
    }
    List<Map<String, Object>> wantedRunning =
        tasks.stream().filter(t -> "running".equals(t.get("DesiredState"))).toList();
    long running = wantedRunning.stream().filter(t -> "running".equals(taskState(t))).count();
    Object replicas =
        Trees.at((Map<String, Object>) service.get("Spec"), "Mode", "Replicated", "Replicas");
    // Global services want one task per eligible node; all of the desired ones must run.
    long wanted = replicas == null ? wantedRunning.size() : ((Number) replicas).longValue();
    String counts = running + " of " + wanted + " tasks running";
    if (running == 0 && wanted > 0) {
      // Failed attempts are shut down and replaced, so their errors sit on tasks that no longer
      // want to run: the newest one says why nothing runs.
      Map<String, Object> failed = newestFailed(tasks);
      if (failed != null) {
        return new ObjectHealth(
            key,
            HealthStatus.DEGRADED,
            counts + "; task " + taskState(failed) + ": " + Trees.at(failed, "Status", "Err"));
      }
    }
    boolean healthy = replicas == null ? running > 0 && running == wanted : running >= wanted;
    return new ObjectHealth(key, healthy ? HealthStatus.HEALTHY : HealthStatus.PROGRESSING, counts);
  }

  /** Keeps each task query's URL short, whatever the number of services. */
  private static List<List<String>> chunks(List<String> ids) {
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < ids.size(); i += CHUNK) {
      out.add(ids.subList(i, Math.min(ids.size(), i + CHUNK)));
    }
    return out;
  }

  private static Map<String, Object> newestFailed(List<Map<String, Object>> tasks) {
    Map<String, Object> newest = null;
    for (Map<String, Object> task : tasks) {
      String state = taskState(task);
      boolean failed = state.equals("rejected") || state.equals("failed");
      if (failed && (newest == null || updatedAt(task).compareTo(updatedAt(newest)) > 0)) {
        newest = task;
      }
    }
    return newest;
  }

  private static String updatedAt(Map<String, Object> task) {
    Object at = task.get("UpdatedAt");
    return at == null ? "" : at.toString();
  }

  private static String taskState(Map<String, Object> task) {
    Object state = Trees.at(task, "Status", "State");
    return state == null ? "" : state.toString();
  }
}
