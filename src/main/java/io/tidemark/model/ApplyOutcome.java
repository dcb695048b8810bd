package io.tidemark.model;

/** What an apply did to one object (Flux's vocabulary). */
public enum ApplyOutcome {
  CREATED,
  CONFIGURED,
  DELETED,
  UNCHANGED,
  SKIPPED,
  FAILED
}
