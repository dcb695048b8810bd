package io.tidemark.model;

import java.util.Objects;

/**
 * Identifies one object of a target: its kind, its namespace (empty for cluster-scoped and Swarm
 * objects) and its name. Rendered as {@code kind/namespace/name} or {@code kind/name}.
 */
public record ObjectKey(String kind, String namespace, String name)
    implements Comparable<ObjectKey> {

  public ObjectKey {
    Objects.requireNonNull(kind, "kind");
    namespace = namespace == null ? "" : namespace;
    Objects.requireNonNull(name, "name");
    if (kind.isBlank() || name.isBlank()) {
      throw new IllegalArgumentException("kind and name must not be blank");
    }
  }

  /** A key for an object that lives outside any namespace (Swarm objects, cluster-scoped kinds). */
  public static ObjectKey of(String kind, String name) {
    return new ObjectKey(kind, "", name);
  }

  public boolean namespaced() {
    return !namespace.isEmpty();
  }

  // equals, hashCode and compareTo are written out: keys are looked up in maps of thousands on
  // every reconcile, and the service runs with C1 only (bin/tidemark), which does not inline the
  // method handles that a record's generated equals and hashCode go through (JFR showed them as a
  // tenth of a 5,000-object no-op poll's CPU).

  @Override
  public boolean equals(Object other) {
    return other == this
        || other instanceof ObjectKey key
            && name.equals(key.name)
            && namespace.equals(key.namespace)
            && kind.equals(key.kind);
  }

  @Override
  public int hashCode() {
    return (kind.hashCode() * 31 + namespace.hashCode()) * 31 + name.hashCode();
  }

  @Override
  public int compareTo(ObjectKey other) {
    int order = kind.compareTo(other.kind);
    if (order == 0) {
      order = namespace.compareTo(other.namespace);
    }
    return order != 0 ? order : name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return namespaced() ? kind + "/" + namespace + "/" + name : kind + "/" + name;
  }
}
