package io.tidemark.cluster.swarm;

import io.tidemark.model.ObjectKey;
import java.util.Comparator;

/**
 * The Swarm object kinds Tidemark manages, in apply order; {@link #kind()} is the ObjectKey kind.
 */
public enum SwarmKind {
  NETWORK("Network", "networks"),
  CONFIG("Config", "configs"),
  SECRET("Secret", "secrets"),
  SERVICE("Service", "services");

  /** Networks, configs and secrets before the services that use them; deletes run in reverse. */
  public static final Comparator<ObjectKey> ORDER =
      Comparator.<ObjectKey>comparingInt(key -> rank(key.kind())).thenComparing(ObjectKey::name);

  private final String kind;
  private final String collection;

  SwarmKind(String kind, String collection) {
    this.kind = kind;
    this.collection = collection;
  }

  public String kind() {
    return kind;
  }

  /** The Engine API collection: {@code /services}, {@code /networks}, ... */
  public String collection() {
    return collection;
  }

  /** Whether {@code key} is of this kind. */
  public boolean is(ObjectKey key) {
    return kind.equals(key.kind());
  }

  /** The Engine API collection of a kind name. */
  static String collection(String kind) {
    SwarmKind k = of(kind);
    if (k == null) {
      throw new IllegalArgumentException("not a Swarm kind: " + kind);
    }
    return k.collection;
  }

  private static int rank(String kind) {
    SwarmKind k = of(kind);
    return k == null ? values().length : k.ordinal();
  }

  /** The kind named {@code kind}, or null for a kind Swarm does not have. */
  public static SwarmKind of(String kind) {
    for (SwarmKind k : values()) {
      if (k.kind.equals(kind)) {
        return k;
      }
    }
    return null;
  }
}
