package io.tidemark.model;

/**
 * Whose a live object is, as read from its labels. Only {@link #OWNED} objects are ever changed or
 * pruned.
 */
public enum Ownership {
  /** Carries this target's ownership label. */
  OWNED,
  /** Carries no Tidemark ownership label, or belongs to another target or stack. */
  UNOWNED
}
