package io.tidemark.cluster.kubernetes;

import io.tidemark.model.ObjectHealth;
import io.tidemark.model.ObjectHealth.HealthStatus;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.Trees;
import java.util.List;
import java.util.Map;

/**
 * Judges the health of a live Kubernetes object from its status, as {@code kubectl rollout status}
 * does: Deployments, StatefulSets and DaemonSets rolled out, Jobs complete, PVCs bound, every other
 * kind healthy once present. Pure: the object tree in, a verdict out.
 */
public final class KubernetesHealth {

  private KubernetesHealth() {}

  /**
   * @param live the object as the server returns it, or null when it does not exist
   */
  public static ObjectHealth evaluate(ObjectKey key, Map<String, ?> live) {
    if (live == null) {
      return new ObjectHealth(key, HealthStatus.DEGRADED, "not found");
    }
    return switch (key.kind()) {
      case "Deployment.apps" -> deployment(key, live);
      case "StatefulSet.apps" -> statefulSet(key, live);
      case "DaemonSet.apps" -> daemonSet(key, live);
      case "Job.batch" -> job(key, live);
      case "PersistentVolumeClaim" -> claim(key, live);
      default -> healthy(key, "present");
    };
  }

  private static ObjectHealth deployment(ObjectKey key, Map<String, ?> live) {
    ObjectHealth observed = observed(key, live);
    if (observed != null) {
      return observed;
    }
    Map<?, ?> deadline = condition(live, "Progressing");
    if (deadline != null && "ProgressDeadlineExceeded".equals(deadline.get("reason"))) {
      return new ObjectHealth(key, HealthStatus.DEGRADED, text(deadline.get("message")));
    }
    long desired = number(live, 1, "spec", "replicas");
    long updated = number(live, 0, "status", "updatedReplicas");
    long total = number(live, 0, "status", "replicas");
    long available = number(live, 0, "status", "availableReplicas");
    if (updated < desired) {
      return progressing(key, updated + " of " + desired + " replicas updated");
    }
    if (total > updated) {
      return progressing(key, (total - updated) + " old replicas pending termination");
    }
    if (available < updated) {
      return progressing(key, available + " of " + updated + " updated replicas available");
    }
    return healthy(key, "rolled out, " + available + " available");
  }

  private static ObjectHealth statefulSet(ObjectKey key, Map<String, ?> live) {
    ObjectHealth observed = observed(key, live);
    if (observed != null) {
      return observed;
    }
    long desired = number(live, 1, "spec", "replicas");
    long partition = number(live, 0, "spec", "updateStrategy", "rollingUpdate", "partition");
    long updated = number(live, 0, "status", "updatedReplicas");
    long available = number(live, 0, "status", "availableReplicas");
    boolean onDelete = "OnDelete".equals(Trees.at(live, "spec", "updateStrategy", "type"));
    if (!onDelete && updated < desired - partition) {
      return progressing(key, updated + " of " + (desired - partition) + " replicas updated");
    }
    if (available < desired) {
      return progressing(key, available + " of " + desired + " replicas available");
    }
    Object current = Trees.at(live, "status", "currentRevision");
    Object update = Trees.at(live, "status", "updateRevision");
    if (!onDelete && partition == 0 && update != null && !update.equals(current)) {
      return progressing(key, "revision " + update + " rolling out");
    }
    return healthy(key, "rolled out, " + available + " available");
  }

  private static ObjectHealth daemonSet(ObjectKey key, Map<String, ?> live) {
    ObjectHealth observed = observed(key, live);
    if (observed != null) {
      return observed;
    }
    long desired = number(live, 0, "status", "desiredNumberScheduled");
    long updated = number(live, 0, "status", "updatedNumberScheduled");
    long available = number(live, 0, "status", "numberAvailable");
    if (updated < desired) {
      return progressing(key, updated + " of " + desired + " pods updated");
    }
    if (available < desired) {
      return progressing(key, available + " of " + desired + " pods available");
    }
    return healthy(key, "rolled out on " + desired + " nodes");
  }

  private static ObjectHealth job(ObjectKey key, Map<String, ?> live) {
    Map<?, ?> failed = condition(live, "Failed");
    if (failed != null && "True".equals(failed.get("status"))) {
      return new ObjectHealth(key, HealthStatus.DEGRADED, "failed: " + text(failed.get("message")));
    }
    Map<?, ?> complete = condition(live, "Complete");
    if (complete != null && "True".equals(complete.get("status"))) {
      return healthy(key, "complete");
    }
    Map<?, ?> suspended = condition(live, "Suspended");
    if (suspended != null && "True".equals(suspended.get("status"))) {
      return healthy(key, "suspended");
    }
    long active = number(live, 0, "status", "active");
    return progressing(key, active + " active pods, not complete");
  }

  private static ObjectHealth claim(ObjectKey key, Map<String, ?> live) {
    Object phase = Trees.at(live, "status", "phase");
    if ("Bound".equals(phase)) {
      return healthy(key, "bound");
    }
    if ("Lost".equals(phase)) {
      return new ObjectHealth(key, HealthStatus.DEGRADED, "volume lost");
    }
    return progressing(key, "phase " + (phase == null ? "unknown" : phase));
  }

  /** A rollout not yet seen by its controller is progressing whatever its counters say. */
  private static ObjectHealth observed(ObjectKey key, Map<String, ?> live) {
    long generation = number(live, 0, "metadata", "generation");
    long observed = number(live, -1, "status", "observedGeneration");
    if (observed < generation) {
      return progressing(key, "generation " + generation + " not yet observed by its controller");
    }
    return null;
  }

  private static Map<?, ?> condition(Map<String, ?> live, String type) {
    if (Trees.at(live, "status", "conditions") instanceof List<?> conditions) {
      for (Object item : conditions) {
        if (item instanceof Map<?, ?> condition && type.equals(condition.get("type"))) {
          return condition;
        }
      }
    }
    return null;
  }

  private static long number(Map<String, ?> live, long absent, String... path) {
    return Trees.at(live, path) instanceof Number n ? n.longValue() : absent;
  }

  private static ObjectHealth healthy(ObjectKey key, String message) {
    return new ObjectHealth(key, HealthStatus.HEALTHY, message);
  }

  private static ObjectHealth progressing(ObjectKey key, String message) {
    return new ObjectHealth(key, HealthStatus.PROGRESSING, message);
  }

  private static String text(Object value) {
    return value == null ? "" : String.valueOf(value);
  }
}
