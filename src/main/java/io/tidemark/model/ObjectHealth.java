package io.tidemark.model;

import java.util.Objects;

/** The health of one object after an apply, with a human reason. */
public record ObjectHealth(ObjectKey key, HealthStatus status, String message) {

  public ObjectHealth {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(status, "status");
    message = message == null ? "" : message;
  }

  /** The closed set of health verdicts. */
  public enum HealthStatus {
    HEALTHY,
    PROGRESSING,
    DEGRADED,
    UNKNOWN
  }
}
