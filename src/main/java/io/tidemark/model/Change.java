package io.tidemark.model;

import java.util.List;
import java.util.Objects;

/**
 * The planned change of one object, with the field differences that justify it. {@code desired} is
 * null for a delete, {@code live} is null for a create. {@code owner} says who owns the live object
 * when it is not this target (conflicts, adoptions); {@code ignored} lists the paths of the ignore
 * rules that match this object, which are neither drift nor written.
 */
public record Change(
    ObjectKey key,
    ChangeType type,
    List<FieldDiff> diffs,
    DesiredObject desired,
    LiveObject live,
    String owner,
    List<IgnoredPath> ignored) {

  public Change {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    diffs = List.copyOf(diffs);
    owner = owner == null ? "" : owner;
    ignored = List.copyOf(ignored);
  }

  /** A change without an owner note and without ignore rules. */
  public Change(
      ObjectKey key,
      ChangeType type,
      List<FieldDiff> diffs,
      DesiredObject desired,
      LiveObject live) {
    this(key, type, diffs, desired, live, "", List.of());
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

  /** A live object not ours, with every field that differs and who owns it now. */
  public static Change conflict(
      DesiredObject desired, LiveObject live, List<FieldDiff> diffs, String owner) {
    return new Change(desired.key(), ChangeType.CONFLICT, diffs, desired, live, owner, List.of());
  }

  /** A live object no Tidemark target owns, to be taken over as Git says. */
  public static Change adopt(
      DesiredObject desired, LiveObject live, List<FieldDiff> diffs, String owner) {
    return new Change(desired.key(), ChangeType.ADOPT, diffs, desired, live, owner, List.of());
  }

  /** This change with the ignore rules that matched its object. */
  public Change withIgnored(List<IgnoredPath> paths) {
    return new Change(key, type, diffs, desired, live, owner, paths);
  }

  /** The paths that writers must leave as they are live. */
  public List<String> ignoredPaths() {
    return ignored.stream().map(IgnoredPath::path).distinct().toList();
  }
}
