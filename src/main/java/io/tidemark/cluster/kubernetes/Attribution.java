package io.tidemark.cluster.kubernetes;

import java.util.Objects;

/**
 * Names the field manager (other than Tidemark) that the live object's {@code managedFields} say
 * owns a drifted field, e.g. {@code kubectl} (subresource {@code scale}) for {@code spec.replicas}.
 */
public record Attribution(String path, String manager, String operation, String subresource) {

  public Attribution {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(manager, "manager");
    operation = operation == null ? "" : operation;
    subresource = subresource == null ? "" : subresource;
  }

  @Override
  public String toString() {
    String via = subresource.isEmpty() ? "" : " (subresource " + subresource + ")";
    return path + " changed by " + manager + via;
  }
}
