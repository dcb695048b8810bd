package io.tidemark.model;

import java.util.Objects;

/** The outcome of applying one object, with the reason when it failed or was skipped. */
public record ObjectResult(ObjectKey key, ApplyOutcome outcome, String message) {

  public ObjectResult {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(outcome, "outcome");
    message = message == null ? "" : message;
  }

  public static ObjectResult of(ObjectKey key, ApplyOutcome outcome) {
    return new ObjectResult(key, outcome, "");
  }

  public static ObjectResult failed(ObjectKey key, String reason) {
    return new ObjectResult(key, ApplyOutcome.FAILED, reason);
  }

  public boolean failed() {
    return outcome == ApplyOutcome.FAILED;
  }
}
