package io.tidemark.report;

import io.tidemark.model.ApplyOutcome;
import io.tidemark.model.ChangeType;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.ObjectHealth.HealthStatus;
import java.util.List;
import java.util.Objects;

/**
 * One object in a drift report: its key, what the plan found, the field differences (secret values
 * already masked), and, when an apply ran, its outcome and health.
 */
public record ObjectReport(
    String key,
    String kind,
    String namespace,
    String name,
    ChangeType change,
    List<FieldDiff> diffs,
    String source,
    ApplyOutcome outcome,
    String message,
    HealthStatus health,
    String healthMessage) {

  public ObjectReport {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(change, "change");
    diffs = List.copyOf(diffs);
    source = source == null ? "" : source;
    message = message == null ? "" : message;
    healthMessage = healthMessage == null ? "" : healthMessage;
  }
}
