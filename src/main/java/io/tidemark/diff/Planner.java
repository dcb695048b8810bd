package io.tidemark.diff;

import io.tidemark.model.Change;
import io.tidemark.model.ChangeType;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.Plan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns pairs into an ordered plan: creates and updates in apply order, deletes after them in
 * reverse apply order, secret values masked (Secret objects, secret-looking env entries, values
 * decrypted from SOPS files). Deletes are always planned (they are drift); whether they are carried
 * out is the apply step's policy. Pure: no I/O, no clock.
 */
public final class Planner {

  private Planner() {}

  public static Plan plan(List<Pair> pairs, Differ differ, Comparator<ObjectKey> applyOrder) {
    return plan(pairs, differ, applyOrder, ValueMask.defaults());
  }

  /** The plan, with the values {@code mask} names masked in every difference. */
  public static Plan plan(
      List<Pair> pairs, Differ differ, Comparator<ObjectKey> applyOrder, ValueMask mask) {
    List<Change> forward = new ArrayList<>();
    List<Change> deletes = new ArrayList<>();
    for (Pair pair : pairs) {
      Change change = decide(pair, differ, mask);
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
    return decide(pair, differ, ValueMask.defaults());
  }

  static Change decide(Pair pair, Differ differ, ValueMask mask) {
    if (pair.desired() == null) {
      return Change.delete(pair.live());
    }
    if (pair.live() == null) {
      return Change.create(pair.desired());
    }
    if (!pair.live().owned()) {
      return Change.conflict(pair.desired(), pair.live());
    }
    List<FieldDiff> diffs = differ.compare(pair.desired(), pair.live());
    if (diffs.isEmpty()) {
      return Change.inSync(pair.desired(), pair.live());
    }
    return Change.update(pair.desired(), pair.live(), mask.apply(pair.desired(), diffs));
  }
}
