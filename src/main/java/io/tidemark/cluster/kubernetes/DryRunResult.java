package io.tidemark.cluster.kubernetes;

import io.tidemark.model.Trees;
import java.util.Map;
import java.util.Objects;

/**
 * What a server-side dry-run apply answered: the object as the server would store it, or the
 * server's refusal as a {@link ApiStatus}. Exactly one of the two is present.
 */
public record DryRunResult(Map<String, Object> object, ApiStatus refusal) {

  public DryRunResult {
    if ((object == null) == (refusal == null)) {
      throw new IllegalArgumentException("a dry-run result is either an object or a refusal");
    }
    object = object == null ? null : Trees.freeze(object);
  }

  public static DryRunResult accepted(Map<String, ?> object) {
    // The constructor's frozen copy is the only one needed: a dry-run answer is large, and
    // copying it twice more was a visible share of a cold plan's CPU.
    @SuppressWarnings("unchecked")
    Map<String, Object> tree = (Map<String, Object>) Objects.requireNonNull(object, "object");
    return new DryRunResult(tree, null);
  }

  public static DryRunResult refused(ApiStatus status) {
    return new DryRunResult(null, Objects.requireNonNull(status, "status"));
  }

  public boolean accepted() {
    return object != null;
  }

  /**
   * The resourceVersion of the stored object this answer was computed on: a dry-run writes nothing,
   * so it is the version the server read. Empty for a refusal or a would-be create.
   */
  public String baseVersion() {
    Object version = accepted() ? Trees.at(object, "metadata", "resourceVersion") : null;
    return version == null ? "" : String.valueOf(version);
  }

  /**
   * Whether the server would create the object: the dry-run answer has no {@code resourceVersion},
   * as every stored object has (the signal Flux's ssa package uses too).
   */
  public boolean wouldCreate() {
    return accepted() && Trees.at(object, "metadata", "resourceVersion") == null;
  }
}
