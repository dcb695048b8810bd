package io.tidemark.cluster.kubernetes;

import io.tidemark.model.ApplyOutcome;
import io.tidemark.model.ApplyResult;
import io.tidemark.model.Change;
import io.tidemark.model.ChangeType;
import io.tidemark.model.DesiredObject;
import io.tidemark.model.LiveObject;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.ObjectResult;
import io.tidemark.model.Plan;
import io.tidemark.model.RevisionInfo;
import io.tidemark.model.Trees;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Carries out a plan on a cluster: forced server-side apply of creates and updates in plan order,
 * deletes only of stale objects that the inventory lists and that still carry the ownership label,
 * then the new inventory. Custom resources wait until the CRDs written before them are Established.
 * The objects of one kind rank ({@link ApplyOrder}) are written concurrently, a rank only once the
 * one before it is done. One object's failure is a failed entry; the others still go on.
 */
final class KubernetesApplier {

  /**
   * Annotation by which a desired object asks to be deleted and recreated on an immutable change.
   */
  static final String RECREATE = "io.tidemark/recreate-on-immutable";

  private final KubeApi api;
  private final String target;
  private final InventoryStore inventory;
  private final ComparisonCache verdicts;
  private final Supplier<CrdGate> gates;
  private final Takeover takeover;
  private final BoundedCalls calls;

  /**
   * @param verdicts told of every write, so the next comparison knows what the server stored
   * @param gates a fresh CRD gate for each apply
   * @param takeover hands fields that other managers own to Tidemark before an update applies
   * @param calls runs the writes of one kind rank concurrently, bounded
   */
  KubernetesApplier(
      KubeApi api,
      String target,
      InventoryStore inventory,
      ComparisonCache verdicts,
      Supplier<CrdGate> gates,
      Takeover takeover,
      BoundedCalls calls) {
    this.calls = Objects.requireNonNull(calls, "calls");
    this.takeover = Objects.requireNonNull(takeover, "takeover");
    this.api = Objects.requireNonNull(api, "api");
    this.target = Objects.requireNonNull(target, "target");
    this.inventory = Objects.requireNonNull(inventory, "inventory");
    this.verdicts = Objects.requireNonNull(verdicts, "verdicts");
    this.gates = Objects.requireNonNull(gates, "gates");
  }

  ApplyResult apply(Plan plan, RevisionInfo revision, boolean prune) {
    Inventory previous;
    try {
      previous = inventory.read();
    } catch (KubeApiException e) {
      // Without the inventory nothing may be deleted, and a new one would forget stale objects.
      return new ApplyResult(List.of(ObjectResult.failed(inventoryKey(), e.getMessage())));
    }
    Set<ObjectKey> desired = new LinkedHashSet<>();
    List<LiveObject> deletes = new ArrayList<>();
    for (Change change : plan.changes()) {
      if (change.desired() != null && change.type() != ChangeType.CONFLICT) {
        desired.add(change.key());
      }
      if (change.type() == ChangeType.DELETE) {
        deletes.add(change.live());
      }
    }
    Set<ObjectKey> prunable = new TreeSet<>();
    Prune.select(previous, desired, deletes, target).forEach(o -> prunable.add(o.key()));
    List<ObjectResult> results = new ArrayList<>();
    Set<ObjectKey> kept = new TreeSet<>(desired);
    CrdGate gate = gates.get();
    for (List<Change> wave : waves(plan.changes())) {
      List<ObjectResult> done = calls.map(wave, change -> carryOut(change, prune, prunable, gate));
      for (int i = 0; i < wave.size(); i++) {
        ObjectKey key = wave.get(i).key();
        if (prunable.contains(key) && done.get(i).outcome() != ApplyOutcome.DELETED) {
          kept.add(key); // still there: a later run must still be able to prune it
        }
      }
      results.addAll(done);
    }
    Inventory next = Inventory.of(kept);
    if (next.equals(previous)) {
      return new ApplyResult(results); // a no-op reconcile writes nothing, not even the inventory
    }
    try {
      inventory.write(next, revision.commit());
    } catch (KubeApiException e) {
      results.add(ObjectResult.failed(inventoryKey(), e.getMessage()));
    }
    return new ApplyResult(results);
  }

  /**
   * The plan cut into runs of changes that may be written at once: consecutive changes of the same
   * kind rank and direction (creates and updates, or deletes, which run in reverse order). A
   * Namespace or CRD is thus written before anything in it or of its kind.
   */
  static List<List<Change>> waves(List<Change> changes) {
    List<List<Change>> waves = new ArrayList<>();
    List<Change> wave = new ArrayList<>();
    int rank = -1;
    boolean deleting = false;
    for (Change change : changes) {
      int r = ApplyOrder.rank(change.key().kind());
      boolean delete = change.type() == ChangeType.DELETE;
      if (!wave.isEmpty() && (r != rank || delete != deleting)) {
        waves.add(wave);
        wave = new ArrayList<>();
      }
      wave.add(change);
      rank = r;
      deleting = delete;
    }
    if (!wave.isEmpty()) {
      waves.add(wave);
    }
    return waves;
  }

  private ObjectResult carryOut(
      Change change, boolean prune, Set<ObjectKey> prunable, CrdGate gate) {
    return switch (change.type()) {
      case CREATE -> gated(change.desired(), null, ApplyOutcome.CREATED, gate);
      case UPDATE, ADOPT -> {
        DesiredObject applied = IgnoredApply.without(change);
        // Fields left out for an ignore rule must stay with their manager: taken over, the apply
        // that leaves them out would remove them. Such an object keeps its foreign fields.
        LiveObject takeOver = applied == change.desired() ? change.live() : null;
        yield gated(applied, takeOver, ApplyOutcome.CONFIGURED, gate);
      }
      case IN_SYNC -> ObjectResult.of(change.key(), ApplyOutcome.UNCHANGED);
      case CONFLICT ->
          new ObjectResult(
              change.key(), ApplyOutcome.SKIPPED, "exists and is not owned by " + target);
      case DELETE -> {
        if (!prune) {
          yield new ObjectResult(change.key(), ApplyOutcome.SKIPPED, "prune is off");
        }
        if (!prunable.contains(change.key())) {
          yield new ObjectResult(change.key(), ApplyOutcome.SKIPPED, "not in the inventory");
        }
        yield delete(change.live());
      }
    };
  }

  /**
   * Writes an object once its CRD (when this apply wrote it) is Established; notes CRDs. An object
   * that is live (an update, or an adoption) has the fields that other managers own taken over
   * first, so that it ends exactly as Git says.
   */
  ObjectResult gated(DesiredObject desired, LiveObject live, ApplyOutcome done, CrdGate gate) {
    Optional<String> blocked = gate.blocker(desired.key());
    if (blocked.isPresent()) {
      return ObjectResult.failed(desired.key(), blocked.get());
    }
    try {
      takeover.before(live);
    } catch (KubeApiException e) {
      return ObjectResult.failed(desired.key(), "taking over fields failed: " + e.getMessage());
    }
    ObjectResult result = write(desired, done);
    if (CrdGate.isCrd(desired.key())) {
      gate.written(desired, !result.failed());
      // Its schema defaults may have changed: what a dry-run of its objects answers, too.
      CrdGate.servedKind(desired.spec()).ifPresent(verdicts::forgetKind);
    }
    return result;
  }

  private ObjectResult write(DesiredObject desired, ApplyOutcome done) {
    try {
      verdicts.applied(desired, api.apply(desired.spec(), true));
      return ObjectResult.of(desired.key(), done);
    } catch (KubeApiException e) {
      boolean immutable = e.status().map(ApiStatus::immutable).orElse(false);
      if (immutable
          && "true".equals(Trees.at(desired.spec(), "metadata", "annotations", RECREATE))) {
        return recreate(desired);
      }
      return ObjectResult.failed(desired.key(), e.getMessage());
    }
  }

  /** Deletes and applies again an object whose change the server refuses as immutable. */
  private ObjectResult recreate(DesiredObject desired) {
    ObjectKey key = desired.key();
    verdicts.forget(key);
    try {
      api.delete(
          String.valueOf(desired.spec().get("apiVersion")),
          Kinds.kind(key.kind()),
          key.namespace(),
          key.name());
      verdicts.applied(desired, api.apply(desired.spec(), true));
      return new ObjectResult(
          key, ApplyOutcome.CONFIGURED, "recreated: a changed field is immutable");
    } catch (KubeApiException e) {
      return ObjectResult.failed(key, "recreate failed: " + e.getMessage());
    }
  }

  private ObjectResult delete(LiveObject live) {
    ObjectKey key = live.key();
    verdicts.forget(key);
    try {
      api.delete(
          LiveObjects.apiVersion(live.spec()), Kinds.kind(key.kind()), key.namespace(), key.name());
      return ObjectResult.of(key, ApplyOutcome.DELETED);
    } catch (KubeApiException e) {
      return ObjectResult.failed(key, e.getMessage());
    }
  }

  private ObjectKey inventoryKey() {
    return inventory.key();
  }
}
