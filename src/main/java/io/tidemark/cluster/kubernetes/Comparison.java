package io.tidemark.cluster.kubernetes;

import io.tidemark.model.FieldDiff;
import java.util.List;
import java.util.Objects;

/**
 * The drift verdict for one Kubernetes object: whether live matches what a server-side apply of the
 * desired object would store, the differing fields (Secret values masked), who changed them, and
 * the server's reason when it refused the dry-run.
 */
public record Comparison(
    Verdict verdict, List<FieldDiff> diffs, List<Attribution> attributions, String reason) {

  public Comparison {
    Objects.requireNonNull(verdict, "verdict");
    diffs = List.copyOf(diffs);
    attributions = List.copyOf(attributions);
    reason = reason == null ? "" : reason;
    if ((verdict == Verdict.DRIFTED) == diffs.isEmpty()) {
      throw new IllegalArgumentException("a drifted object has diffs, and only a drifted one");
    }
  }

  public static Comparison inSync() {
    return new Comparison(Verdict.IN_SYNC, List.of(), List.of(), "");
  }

  public static Comparison missing() {
    return new Comparison(Verdict.MISSING, List.of(), List.of(), "");
  }

  public static Comparison drifted(List<FieldDiff> diffs, List<Attribution> attributions) {
    return new Comparison(Verdict.DRIFTED, diffs, attributions, "");
  }

  public static Comparison refused(String reason) {
    return new Comparison(Verdict.REFUSED, List.of(), List.of(), reason);
  }

  /** The closed set of drift verdicts. */
  public enum Verdict {
    /** Live is what an apply would store: nothing to write. */
    IN_SYNC,
    /** Live differs in the listed fields; an apply sets them back. */
    DRIFTED,
    /** No live object: an apply would create it. */
    MISSING,
    /** The server refused the dry-run (immutable field, invalid object): the apply would fail. */
    REFUSED
  }
}
