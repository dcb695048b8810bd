package io.tidemark.report;

/** How one reconcile ended, as a closed set used in reports, logs and metric tags. */
public enum RunResult {
  /** Live matches Git; nothing to do. */
  IN_SYNC,
  /** Live differs from Git and the mode (or a sync window) only reports it. */
  DRIFT_DETECTED,
  /** Every difference was written and the changed objects are healthy. */
  APPLIED,
  /** At least one object could not be written or did not become healthy. */
  APPLY_FAILED,
  /**
   * Every difference was written, but a newer revision arrived before the changed objects were
   * healthy: the wait ended so that it could be applied, and the runs after it watch their health.
   */
  SUPERSEDED,
  /** The revision does not parse or validate; nothing of it was applied. */
  INVALID_REVISION,
  /** The repository could not be fetched and no earlier revision is known. */
  SOURCE_FAILED,
  /** The cluster could not be read. */
  TARGET_UNREACHABLE,
  /** The service shut down while the run applied or waited; the report says what it had done. */
  INTERRUPTED;

  /** Whether the run completed its job (the cluster was read and is, or was made, as Git wants). */
  public boolean successful() {
    return this == IN_SYNC || this == DRIFT_DETECTED || this == APPLIED;
  }

  public String tag() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
