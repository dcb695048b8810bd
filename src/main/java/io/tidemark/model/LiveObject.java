package io.tidemark.model;

import java.util.Map;
import java.util.Objects;

/**
 * One object as the cluster has it: its key, its spec tree as the server returns it, its labels,
 * the server's version of it (Swarm version index, Kubernetes resourceVersion) and whether this
 * target owns it.
 */
public record LiveObject(
    ObjectKey key,
    Map<String, Object> spec,
    Map<String, String> labels,
    String version,
    Ownership ownership) {

  public LiveObject {
    Objects.requireNonNull(key, "key");
    spec = Trees.freeze(Objects.requireNonNull(spec, "spec"));
    labels = Map.copyOf(Objects.requireNonNull(labels, "labels"));
    version = version == null ? "" : version;
    Objects.requireNonNull(ownership, "ownership");
  }

  public boolean owned() {
    return ownership == Ownership.OWNED;
  }

  /** The Tidemark target named in the ownership label when that is not this one, else empty. */
  public String otherTarget() {
    String owner = labels.getOrDefault(Labels.TARGET, "");
    return owned() ? "" : owner;
  }
}
