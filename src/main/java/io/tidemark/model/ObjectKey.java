package io.tidemark.model;

import java.util.Comparator;
import java.util.Objects;

/**
 * Identifies one object of a target: its kind, its namespace (empty for cluster-scoped and Swarm
 * objects) and its name. Rendered as {@code kind/namespace/name} or {@code kind/name}.
 */
public record ObjectKey(String kind, String namespace, String name)
    implements Comparable<ObjectKey> {

  private static final Comparator<ObjectKey> ORDER =
      Comparator.comparing(ObjectKey::kind)
          .thenComparing(ObjectKey::namespace)
          .thenComparing(ObjectKey::name);

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

  @Override
  public int compareTo(ObjectKey other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return namespaced() ? kind + "/" + namespace + "/" + name : kind + "/" + name;
  }
}
