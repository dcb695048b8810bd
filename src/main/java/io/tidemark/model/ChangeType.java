package io.tidemark.model;

/** What a plan does with one object. Used unchanged in logs, JSON and metric tags. */
public enum ChangeType {
  /** Desired, not live: to be created. */
  CREATE,
  /** Desired and live, with field differences: to be updated. */
  UPDATE,
  /** Owned and live, no longer desired: to be pruned. */
  DELETE,
  /** Desired and live, no differences. */
  IN_SYNC,
  /** Desired, but a live object of that key is not ours: reported, never touched. */
  CONFLICT;

  /** Whether this change means the live state differs from Git. */
  public boolean drift() {
    return this != IN_SYNC;
  }

  public String tag() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
