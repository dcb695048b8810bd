package io.tidemark.report;

import io.tidemark.model.ApplyResult;
import io.tidemark.model.Change;
import io.tidemark.model.ChangeType;
import io.tidemark.model.Mode;
import io.tidemark.model.ObjectHealth;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.ObjectResult;
import io.tidemark.model.Plan;
import io.tidemark.model.RevisionInfo;
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
  private final List<String> errors = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

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
    Map<ObjectKey, ObjectHealth> healthByKey =
        health.stream()
            .collect(Collectors.toMap(ObjectHealth::key, Function.identity(), (a, b) -> b));
    List<ObjectReport> objects = new ArrayList<>();
    for (Change change : plan.changes()) {
      objects.add(
          object(change, outcomes.get(change.key()), healthByKey.get(change.key()), target));
    }
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
        objects);
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
