package io.tidemark.report;

import io.tidemark.model.ApplyOutcome;
import io.tidemark.model.ApplyResult;
import io.tidemark.model.Change;
import io.tidemark.model.ChangeType;
import io.tidemark.model.Mode;
import io.tidemark.model.ObjectHealth;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.ObjectResult;
import io.tidemark.model.Plan;
import io.tidemark.model.RevisionInfo;
import io.tidemark.model.TargetHealth;
import io.tidemark.model.Trigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Builds a {@link DriftReport} from what one reconcile found and did. Pure: the caller passes the
 * clock readings, so reports are tested with literal data.
 */
public final class ReportBuilder {

  private final String id;
  private final String target;
  private final Mode mode;
  private final Trigger trigger;
  private final Instant startedAt;
  private RevisionInfo revision;
  private Plan plan = new Plan(List.of());
  private ApplyResult applied;
  private List<ObjectHealth> health = List.of();
  private List<ObjectHealth> observed;
  private final List<String> errors = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private boolean superseded;

  public ReportBuilder(String id, String target, Mode mode, Trigger trigger, Instant startedAt) {
    this.id = id;
    this.target = target;
    this.mode = mode;
    this.trigger = trigger;
    this.startedAt = startedAt;
  }

  public ReportBuilder revision(RevisionInfo revision) {
    this.revision = revision;
    return this;
  }

  public ReportBuilder plan(Plan plan) {
    this.plan = plan;
    return this;
  }

  public ReportBuilder applied(ApplyResult applied, List<ObjectHealth> health) {
    this.applied = applied;
    this.health = List.copyOf(health);
    return this;
  }

  /**
   * The health wait of this run ended early for a newer revision: objects still on their way are
   * not a failure.
   */
  public ReportBuilder superseded() {
    this.superseded = true;
    return note(
        "A newer revision arrived while this run waited for health; the wait ended so that it"
            + " is applied at once, and later runs watch the health of what this run wrote.");
  }

  /** The health of the live objects as the snapshot found them, before any apply. */
  public ReportBuilder observed(List<ObjectHealth> observed) {
    this.observed = List.copyOf(observed);
    return this;
  }

  public ReportBuilder error(String error) {
    errors.add(error);
    return this;
  }

  /**
   * A sentence that explains the run to a reader (why nothing was applied, which revision was
   * used).
   */
  public ReportBuilder note(String note) {
    notes.add(note);
    return this;
  }

  /** A report of a run that stopped early with {@code result}. */
  public DriftReport failed(RunResult result, Instant finishedAt) {
    return build(result, finishedAt);
  }

  /** A report of a run cut by a shutdown: what it found and what it had applied so far. */
  public DriftReport interrupted(Instant finishedAt) {
    return build(RunResult.INTERRUPTED, finishedAt);
  }

  /** A report of a run that read the cluster: its result follows from the plan and the apply. */
  public DriftReport finished(Instant finishedAt) {
    return build(resultOf(), finishedAt);
  }

  private RunResult resultOf() {
    if (applied == null) {
      return plan.drifted() ? RunResult.DRIFT_DETECTED : RunResult.IN_SYNC;
    }
    boolean unhealthy =
        health.stream().anyMatch(h -> h.status() != ObjectHealth.HealthStatus.HEALTHY);
    boolean degraded =
        health.stream().anyMatch(h -> h.status() == ObjectHealth.HealthStatus.DEGRADED);
    if (superseded && unhealthy && !applied.failed() && !degraded) {
      return RunResult.SUPERSEDED;
    }
    if (applied.failed() || unhealthy) {
      return RunResult.APPLY_FAILED;
    }
    boolean conflicts = plan.changes().stream().anyMatch(c -> c.type() == ChangeType.CONFLICT);
    return conflicts ? RunResult.DRIFT_DETECTED : RunResult.APPLIED;
  }

  private DriftReport build(RunResult result, Instant finishedAt) {
    Map<ObjectKey, ObjectResult> outcomes =
        applied == null
            ? Map.of()
            : applied.results().stream()
                .collect(Collectors.toMap(ObjectResult::key, Function.identity(), (a, b) -> b));
    Map<ObjectKey, ObjectHealth> healthByKey = healthOf(outcomes);
    List<ObjectReport> objects = new ArrayList<>();
    for (Change change : plan.changes()) {
      objects.add(
          object(change, outcomes.get(change.key()), healthByKey.get(change.key()), target));
    }
    TargetHealth targetHealth =
        observed == null
            ? TargetHealth.unknown("not observed: the run ended before it read the cluster")
            : TargetHealth.of(List.copyOf(healthByKey.values()));
    Map<ChangeType, Integer> summary = new EnumMap<>(plan.counts());
    return new DriftReport(
        id,
        target,
        mode,
        trigger,
        revision,
        startedAt,
        Math.max(0, finishedAt.toEpochMilli() - startedAt.toEpochMilli()),
        result,
        applied != null && !applied.results().isEmpty(),
        String.join(" ", notes),
        errors,
        summary,
        objects,
        targetHealth);
  }

  /**
   * The health of each object Git declares: as the apply's wait saw it when it waited for the
   * object, else as the snapshot observed it; missing when the cluster does not have it and no
   * apply created it. Kinds without a health (Swarm networks, configs) are left out.
   */
  private Map<ObjectKey, ObjectHealth> healthOf(Map<ObjectKey, ObjectResult> outcomes) {
    Map<ObjectKey, ObjectHealth> seen = new java.util.HashMap<>();
    if (observed != null) {
      observed.forEach(h -> seen.put(h.key(), h));
    }
    health.forEach(h -> seen.put(h.key(), h));
    Map<ObjectKey, ObjectHealth> out = new java.util.LinkedHashMap<>();
    if (observed == null) {
      return out;
    }
    for (Change change : plan.changes()) {
      ObjectKey key = change.key();
      if (change.desired() == null) {
        continue; // a delete: Git no longer wants it, its health is no one's concern
      }
      ObjectHealth known = seen.get(key);
      ObjectResult outcome = outcomes.get(key);
      boolean created = outcome != null && outcome.outcome() == ApplyOutcome.CREATED;
      if (known != null) {
        out.put(key, known);
      } else if (change.type() == ChangeType.CREATE && !created) {
        out.put(
            key, new ObjectHealth(key, ObjectHealth.HealthStatus.MISSING, "not in the cluster"));
      }
    }
    return out;
  }

  private static ObjectReport object(
      Change change, ObjectResult outcome, ObjectHealth health, String target) {
    ObjectKey key = change.key();
    String source = change.desired() == null ? "" : change.desired().source().toString();
    return new ObjectReport(
        key.toString(),
        key.kind(),
        key.namespace(),
        key.name(),
        change.type(),
        change.diffs(),
        source,
        outcome == null ? null : outcome.outcome(),
        outcome == null ? "" : outcome.message(),
        health == null ? null : health.status(),
        health == null ? "" : health.message(),
        change.owner(),
        hint(change, target),
        change.ignored().stream().map(Object::toString).toList());
  }

  /** How a conflict could be resolved: adoption, unless another Tidemark target owns the object. */
  private static String hint(Change change, String target) {
    if (change.type() != ChangeType.CONFLICT) {
      return "";
    }
    if (change.live() != null && !change.live().otherTarget().isEmpty()) {
      return "owned by another Tidemark target: never adopted; remove it from one of the two";
    }
    return "to take it over, set tidemark.targets."
        + target
        + ".adopt=true (CLI: --adopt); apply mode then writes what Git says";
  }
}
