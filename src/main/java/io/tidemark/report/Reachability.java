package io.tidemark.report;

/**
 * Whether a target's cluster answered, as its newest run found it: known without asking the cluster
 * again, so readiness, the API and metrics cost nothing per target.
 */
public enum Reachability {
  REACHABLE,
  UNREACHABLE,
  /** No run has reached the cluster yet (none ran, or Git failed before the cluster was asked). */
  UNKNOWN;

  /** What {@code report} says of its cluster; null means no run yet. */
  public static Reachability of(DriftReport report) {
    if (report == null) {
      return UNKNOWN;
    }
    return switch (report.result()) {
      case TARGET_UNREACHABLE -> UNREACHABLE;
      case SOURCE_FAILED, INVALID_REVISION -> UNKNOWN;
      default -> REACHABLE;
    };
  }

  public String tag() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
