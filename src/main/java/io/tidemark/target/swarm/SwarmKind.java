package io.tidemark.target.swarm;

/**
 * The Swarm object kinds Tidemark manages, in apply order; {@link #kind()} is the ObjectKey kind.
 */
public enum SwarmKind {
  NETWORK("Network"),
  CONFIG("Config"),
  SECRET("Secret"),
  SERVICE("Service");

  private final String kind;

  SwarmKind(String kind) {
    this.kind = kind;
  }

  public String kind() {
    return kind;
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
