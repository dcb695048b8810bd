package io.tidemark.diff;

import io.tidemark.model.Change;
import io.tidemark.model.ChangeType;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.IgnoredPath;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.Ownership;
import io.tidemark.model.Plan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns pairs into an ordered plan: creates, updates and adoptions in apply order, deletes after
 * them in reverse apply order, ignored fields left out, secret values masked (Secret objects,
 * secret-looking env entries, values decrypted from SOPS files). Deletes are always planned (they
 * are drift); whether they are carried out is the apply step's policy. Pure: no I/O, no clock.
 */
public final class Planner {

  private Planner() {}

  public static Plan plan(List<Pair> pairs, Differ differ, Comparator<ObjectKey> applyOrder) {
    return plan(pairs, differ, applyOrder, PlanPolicy.standard(), ValueMask.defaults());
  }

  public static Plan plan(
      List<Pair> pairs, Differ differ, Comparator<ObjectKey> applyOrder, PlanPolicy policy) {
    return plan(pairs, differ, applyOrder, policy, ValueMask.defaults());
  }

  public static Plan plan(
      List<Pair> pairs, Differ differ, Comparator<ObjectKey> applyOrder, ValueMask mask) {
    return plan(pairs, differ, applyOrder, PlanPolicy.standard(), mask);
  }

  /**
   * The plan under {@code policy}, with the values {@code mask} names masked in every difference.
   */
  public static Plan plan(
      List<Pair> pairs,
      Differ differ,
      Comparator<ObjectKey> applyOrder,
      PlanPolicy policy,
      ValueMask mask) {
    List<Change> forward = new ArrayList<>();
    List<Change> deletes = new ArrayList<>();
    for (Pair pair : pairs) {
      Change change = decide(pair, differ, policy, mask);
      if (change == null) {
        continue;
      }
      if (change.type() == ChangeType.DELETE) {
        deletes.add(change);
      } else {
        forward.add(change);
      }
    }
    Comparator<Change> byKey = Comparator.comparing(Change::key, applyOrder);
    forward.sort(byKey);
    deletes.sort(byKey.reversed());
    forward.addAll(deletes);
    return new Plan(forward);
  }

  static Change decide(Pair pair, Differ differ) {
    return decide(pair, differ, PlanPolicy.standard(), ValueMask.defaults());
  }

  /** The change of one pair, or null for a pair the policy leaves alone. */
  static Change decide(Pair pair, Differ differ, PlanPolicy policy, ValueMask mask) {
    if (pair.desired() == null) {
      if (pair.live().ownership() != Ownership.SUPERSEDED) {
        return Change.delete(pair.live());
      }
      if (!policy.adopt()) {
        return null;
      }
      String owner = CurrentOwner.of(pair.live()) + "; replaced by a content-hashed name";
      return new Change(
          pair.key(), ChangeType.DELETE, List.of(), null, pair.live(), owner, List.of());
    }
    if (pair.live() == null) {
      return Change.create(pair.desired()).withIgnored(ignored(pair.key(), policy, List.of()));
    }
    List<FieldDiff> all = differ.compare(pair.desired(), pair.live());
    List<IgnoredPath> ignored = ignored(pair.key(), policy, all);
    List<FieldDiff> diffs = all.stream().filter(d -> !hidden(d, pair.key(), policy)).toList();
    diffs = mask.apply(pair.desired(), diffs);
    if (!pair.live().owned()) {
      String owner = CurrentOwner.of(pair.live());
      boolean adoptable = policy.adopt() && pair.live().otherTarget().isEmpty();
      Change change =
          adoptable
              ? Change.adopt(pair.desired(), pair.live(), diffs, owner)
              : Change.conflict(pair.desired(), pair.live(), diffs, owner);
      return change.withIgnored(ignored);
    }
    if (diffs.isEmpty()) {
      return Change.inSync(pair.desired(), pair.live()).withIgnored(ignored);
    }
    return Change.update(pair.desired(), pair.live(), diffs).withIgnored(ignored);
  }

  private static boolean hidden(FieldDiff diff, ObjectKey key, PlanPolicy policy) {
    for (IgnoreRule rule : policy.ignore()) {
      if (rule.matches(key)
          && rule.paths().stream()
              .anyMatch(p -> FieldPaths.covers(FieldPaths.parse(p), diff.path()))) {
        return true;
      }
    }
    return false;
  }

  /** Every path of every rule that matches {@code key}, with whether it hid a difference. */
  private static List<IgnoredPath> ignored(ObjectKey key, PlanPolicy policy, List<FieldDiff> all) {
    List<IgnoredPath> out = new ArrayList<>();
    for (IgnoreRule rule : policy.ignore()) {
      if (!rule.matches(key)) {
        continue;
      }
      for (String path : rule.paths()) {
        List<String> steps = FieldPaths.parse(path);
        boolean hid = all.stream().anyMatch(d -> FieldPaths.covers(steps, d.path()));
        out.add(new IgnoredPath(rule.id(), path, hid));
      }
    }
    return out;
  }
}
