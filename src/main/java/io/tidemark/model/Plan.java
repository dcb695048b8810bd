package io.tidemark.model;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The ordered changes of one reconcile: what would be (or was) done to bring live to desired. */
public record Plan(List<Change> changes) {

  public Plan {
    changes = List.copyOf(changes);
  }

  /** Counts per change type, every type present (zero when none). */
  public Map<ChangeType, Integer> counts() {
    Map<ChangeType, Integer> counts = new EnumMap<>(ChangeType.class);
    for (ChangeType type : ChangeType.values()) {
      counts.put(type, 0);
    }
    changes.forEach(c -> counts.merge(c.type(), 1, Integer::sum));
    return counts;
  }

  /** Whether live differs from Git in any object. */
  public boolean drifted() {
    return changes.stream().anyMatch(c -> c.type().drift());
  }

  /** The changes that an apply would write: creates, updates, adoptions and deletes. */
  public List<Change> writes() {
    return changes.stream()
        .filter(
            c ->
                c.type() == ChangeType.CREATE
                    || c.type() == ChangeType.UPDATE
                    || c.type() == ChangeType.ADOPT
                    || c.type() == ChangeType.DELETE)
        .toList();
  }
}
