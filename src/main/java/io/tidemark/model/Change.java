package io.tidemark.model;

import java.util.List;
import java.util.Objects;

/**
 * The planned change of one object, with the field differences that justify it. {@code desired} is
 * null for a delete, {@code live} is null for a create.
 */
public record Change(
    ObjectKey key, ChangeType type, List<FieldDiff> diffs, DesiredObject desired, LiveObject live) {

  public Change {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    diffs = List.copyOf(diffs);
  }

  public static Change create(DesiredObject desired) {
    return new Change(desired.key(), ChangeType.CREATE, List.of(), desired, null);
  }

  public static Change update(DesiredObject desired, LiveObject live, List<FieldDiff> diffs) {
    return new Change(desired.key(), ChangeType.UPDATE, diffs, desired, live);
  }

  public static Change inSync(DesiredObject desired, LiveObject live) {
    return new Change(desired.key(), ChangeType.IN_SYNC, List.of(), desired, live);
  }

  public static Change delete(LiveObject live) {
    return new Change(live.key(), ChangeType.DELETE, List.of(), null, live);
  }

  public static Change conflict(DesiredObject desired, LiveObject live) {
    return new Change(desired.key(), ChangeType.CONFLICT, List.of(), desired, live);
  }
}
