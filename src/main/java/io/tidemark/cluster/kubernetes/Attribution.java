package io.tidemark.cluster.kubernetes;

import java.util.Objects;

/**
 * Names the field manager (other than Tidemark) that the live object's {@code managedFields} say
 * owns a drifted field, e.g. {@code kubectl} (subresource {@code scale}) for {@code spec.replicas}.
 */
public record Attribution(
    String path, String manager, String operation, String subresource, String time) {

  public Attribution {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(manager, "manager");
    operation = operation == null ? "" : operation;
    subresource = subresource == null ? "" : subresource;
    time = time == null ? "" : time;
  }

  /** An attribution without the time of the write. */
  public Attribution(String path, String manager, String operation, String subresource) {
    this(path, manager, operation, subresource, "");
  }

  /** Who changed the field, as the report says it: {@code kubectl-set at 2026-11-25T20:39:32Z}. */
  public String author() {
    return time.isEmpty() ? manager : manager + " at " + time;
  }

  @Override
  public String toString() {
    String via = subresource.isEmpty() ? "" : " (subresource " + subresource + ")";
    return path + " changed by " + manager + via;
  }
}
