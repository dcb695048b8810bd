package io.tidemark.model;

/** What a target does with drift. */
public enum Mode {
  /** Report drift, never write. */
  DETECT,
  /** Report drift and write until live matches Git (self-heal). */
  APPLY,
  /** Run nothing; the last state stays shown. */
  SUSPEND
}
