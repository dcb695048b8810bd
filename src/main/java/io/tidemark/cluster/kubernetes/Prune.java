package io.tidemark.cluster.kubernetes;

import io.tidemark.model.Labels;
import io.tidemark.model.LiveObject;
import io.tidemark.model.ObjectKey;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Chooses what a prune may delete: live objects that the previous inventory lists, Git no longer
 * wants, and that still carry this target's ownership label; in reverse apply order. Pure.
 */
public final class Prune {

  private Prune() {}

  public static List<LiveObject> select(
      Inventory previous, Set<ObjectKey> desired, Collection<LiveObject> live, String target) {
    Set<ObjectKey> stale = previous.stale(desired);
    return live.stream()
        .filter(o -> stale.contains(o.key()))
        .filter(o -> target.equals(o.labels().get(Labels.TARGET)))
        .sorted((a, b) -> new ApplyOrder().compare(b.key(), a.key()))
        .toList();
  }
}
