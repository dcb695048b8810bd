package io.tidemark.report;

import io.tidemark.model.ChangeType;
import io.tidemark.model.Mode;
import io.tidemark.model.RevisionInfo;
import io.tidemark.model.TargetHealth;
import io.tidemark.model.Trigger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one reconcile of one target found and did: the revision it read, what triggered it,
 * per-object changes with field differences, apply outcomes and health, the target's health, and
 * every error. Secret values never reach it: diffs are masked before a report is built.
 */
public record DriftReport(
    String id,
    String target,
    Mode mode,
    Trigger trigger,
    RevisionInfo revision,
    Instant startedAt,
    long durationMillis,
    RunResult result,
    boolean applied,
    String note,
    List<String> errors,
    Map<ChangeType, Integer> summary,
    List<ObjectReport> objects,
    TargetHealth health) {

  public DriftReport {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(result, "result");
    note = note == null ? "" : note;
    errors = List.copyOf(errors);
    summary = Map.copyOf(summary);
    objects = List.copyOf(objects);
    health = health == null ? TargetHealth.unknown("not observed") : health;
  }

  /** A report without observed health (older history files, tests of other concerns). */
  public DriftReport(
      String id,
      String target,
      Mode mode,
      Trigger trigger,
      RevisionInfo revision,
      Instant startedAt,
      long durationMillis,
      RunResult result,
      boolean applied,
      String note,
      List<String> errors,
      Map<ChangeType, Integer> summary,
      List<ObjectReport> objects) {
    this(
        id,
        target,
        mode,
        trigger,
        revision,
        startedAt,
        durationMillis,
        result,
        applied,
        note,
        errors,
        summary,
        objects,
        null);
  }

  /** Objects whose live state differs from Git (everything but in-sync). */
  public List<ObjectReport> drifted() {
    return objects.stream().filter(o -> o.change().drift()).toList();
  }
}
