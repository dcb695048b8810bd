package io.tidemark.model;

import java.util.Objects;

/** The health of one object as a run observed it, or after an apply, with a human reason. */
public record ObjectHealth(ObjectKey key, HealthStatus status, String message) {

  public ObjectHealth {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(status, "status");
    message = message == null ? "" : message;
  }

  /**
   * The closed set of health verdicts, from best to worst: a target's health is the worst of its
   * objects'.
   */
  public enum HealthStatus {
    /** Running as wanted: every task or replica up, rollout finished. */
    HEALTHY,
    /** Moving towards healthy: a rollout or an update under way, tasks starting. */
    PROGRESSING,
    /** Not observed: the cluster could not be read, or the run ended before it was. */
    UNKNOWN,
    /** Git declares it and the cluster does not have it. */
    MISSING,
    /** Not running as wanted and not getting there: tasks rejected, a rollback, a failed job. */
    DEGRADED;

    public String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
