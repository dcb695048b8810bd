package io.tidemark.model;

/** What a plan does with one object. Used unchanged in logs, JSON and metric tags. */
public enum ChangeType {
  /** Desired, not live: to be created. */
  CREATE,
  /** Desired and live, with field differences: to be updated. */
  UPDATE,
  /**
   * Desired, and live under that name without any Tidemark owner, and the target adopts: taken over
   * (ownership labels added, fields set as Git says).
   */
  ADOPT,
  /** Owned and live, no longer desired: to be pruned. */
  DELETE,
  /** Desired and live, no differences. */
  IN_SYNC,
  /**
   * Desired, but a live object of that key is not ours (another tool's, or another Tidemark
   * target's): reported with its field differences, never touched.
   */
  CONFLICT;

  /** Whether this change means the live state differs from Git. */
  public boolean drift() {
    return this != IN_SYNC;
  }

  public String tag() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
