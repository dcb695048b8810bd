package io.tidemark.cluster.kubernetes;

import io.tidemark.model.ApplyOutcome;
import io.tidemark.model.ApplyResult;
import io.tidemark.model.Change;
import io.tidemark.model.ObjectHealth;
import io.tidemark.model.ObjectHealth.HealthStatus;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.ObjectResult;
import io.tidemark.model.Plan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Waits for the objects an apply created or configured to become healthy: reads each until it is
 * healthy or degraded (both final), or until the timeout passes with it still progressing.
 */
final class HealthWaiter {

  private final KubeApi api;
  private final Duration pollInterval;

  HealthWaiter(KubeApi api, Duration pollInterval) {
    this.api = Objects.requireNonNull(api, "api");
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
  }

  List<ObjectHealth> await(Plan plan, ApplyResult applied, Duration timeout) {
    Map<ObjectKey, String> pending = new LinkedHashMap<>();
    Map<ObjectKey, String> apiVersions = new LinkedHashMap<>();
    for (Change change : plan.changes()) {
      if (change.desired() != null) {
        apiVersions.put(change.key(), String.valueOf(change.desired().spec().get("apiVersion")));
      }
    }
    for (ObjectResult result : applied.results()) {
      boolean written =
          result.outcome() == ApplyOutcome.CREATED || result.outcome() == ApplyOutcome.CONFIGURED;
      if (written && apiVersions.containsKey(result.key())) {
        pending.put(result.key(), apiVersions.get(result.key()));
      }
    }
    Map<ObjectKey, ObjectHealth> verdicts = new LinkedHashMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (ObjectKey key : new ArrayList<>(pending.keySet())) {
        ObjectHealth health = read(key, pending.get(key));
        verdicts.put(key, health);
        if (health.status() == HealthStatus.HEALTHY || health.status() == HealthStatus.DEGRADED) {
          pending.remove(key);
        }
      }
      if (pending.isEmpty() || System.nanoTime() >= deadline) {
        return new ArrayList<>(verdicts.values());
      }
      if (!pause()) {
        return new ArrayList<>(verdicts.values());
      }
    }
  }

  private ObjectHealth read(ObjectKey key, String apiVersion) {
    try {
      return KubernetesHealth.evaluate(
          key,
          api.get(apiVersion, Kinds.kind(key.kind()), key.namespace(), key.name()).orElse(null));
    } catch (KubeApiException e) {
      return new ObjectHealth(key, HealthStatus.UNKNOWN, e.getMessage());
    }
  }

  /** Sleeps one poll interval; false when interrupted (the reconcile is being stopped). */
  private boolean pause() {
    try {
      Thread.sleep(pollInterval.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
