package io.tidemark.report;

import io.tidemark.model.ApplyOutcome;
import io.tidemark.model.ChangeType;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.ObjectHealth.HealthStatus;
import java.util.List;
import java.util.Objects;

/**
 * One object in a drift report: its key, what the plan found, the field differences (secret values
 * already masked), and, when an apply ran, its outcome and health. For an object this target does
 * not own (conflict, adoption), {@code owner} says who owns it and {@code hint} how to adopt it;
 * {@code ignored} lists the ignore rules that matched it.
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
    String healthMessage,
    String owner,
    String hint,
    List<String> ignored) {

  public ObjectReport {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(change, "change");
    diffs = List.copyOf(diffs);
    source = source == null ? "" : source;
    message = message == null ? "" : message;
    healthMessage = healthMessage == null ? "" : healthMessage;
    owner = owner == null ? "" : owner;
    hint = hint == null ? "" : hint;
    ignored = ignored == null ? List.of() : List.copyOf(ignored);
  }

  /** An object report without owner, hint or ignore rules. */
  public ObjectReport(
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
    this(
        key,
        kind,
        namespace,
        name,
        change,
        diffs,
        source,
        outcome,
        message,
        health,
        healthMessage,
        "",
        "",
        List.of());
  }
}
