package io.tidemark.cluster;

import io.tidemark.desired.DesiredStateLoader;
import io.tidemark.diff.Differ;
import io.tidemark.diff.Pair;
import io.tidemark.model.ApplyResult;
import io.tidemark.model.LiveState;
import io.tidemark.model.ObjectHealth;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.Plan;
import io.tidemark.model.RevisionInfo;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A cluster that Tidemark reconciles: it knows how to read its desired objects from a folder, read
 * its live objects, compare the two without false drift, and apply a plan. Implementations say
 * their technology ({@code SwarmTarget}, {@code KubernetesTarget}).
 */
public interface Target extends Differ {

  /** The configured name of this target. */
  String name();

  /** Reads a folder of a revision into desired objects, with every ownership label set. */
  DesiredStateLoader loader();

  /** Reads the owned live objects, and unowned ones whose keys are among {@code desired}. */
  LiveState snapshot(Set<ObjectKey> desired) throws TargetException;

  /**
   * A differ for the pairs of one plan. A target whose comparisons are remote calls (Kubernetes
   * dry-runs) makes them all here, concurrently, and answers the planner from the results; by
   * default the target itself compares each pair when the planner asks.
   */
  default Differ comparing(List<Pair> pairs) {
    return this;
  }

  /** The order in which kinds are created and updated; deletes run in reverse. */
  Comparator<ObjectKey> applyOrder();

  /**
   * Carries out the writes of a plan (creates, updates and, when {@code prune}, deletes). A failure
   * on one object is a failed entry, never an exception, so the other objects still converge.
   */
  ApplyResult apply(Plan plan, RevisionInfo revision, boolean prune);

  /** Waits until the applied objects are healthy or the timeout passes. */
  List<ObjectHealth> awaitHealthy(Plan plan, ApplyResult applied, Duration timeout);

  /**
   * Waits like {@link #awaitHealthy(Plan, ApplyResult, Duration)}, but returns what it knows as
   * soon as {@code stop} says so (a newer revision is waiting). Targets that cannot stop early wait
   * to the end.
   */
  default List<ObjectHealth> awaitHealthy(
      Plan plan, ApplyResult applied, Duration timeout, BooleanSupplier stop) {
    return awaitHealthy(plan, applied, timeout);
  }

  /** Checks that the cluster answers; throws with the reason when it does not. */
  void ping() throws TargetException;
}
