package io.tidemark.report;

import java.time.Duration;

/** Hears what reconciles do, in the past tense; every callback has a no-op default. */
public interface RunListener {

  /** A Git fetch ended, successfully or not. */
  default void fetched(Duration took, boolean ok) {}

  /** A reconcile ended and produced {@code report}. */
  default void completed(DriftReport report) {}
}
