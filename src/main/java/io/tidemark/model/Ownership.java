package io.tidemark.model;

/**
 * Whose a live object is, as read from its labels. Only {@link #OWNED} objects are ever changed or
 * pruned.
 */
public enum Ownership {
  /** Carries this target's ownership label. */
  OWNED,
  /** Carries no Tidemark ownership label, or belongs to another target or stack. */
  UNOWNED,
  /**
   * Not ours, but what another tool made of an object Git declares under a name Tidemark does not
   * use (a Swarm config or secret named {@code <stack>_<name>} by {@code docker stack deploy},
   * which Tidemark names {@code <stack>_<name>-<hash>}): an adopting target removes it once unused.
   */
  SUPERSEDED
}
