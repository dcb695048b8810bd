package io.tidemark.target.swarm;

import io.tidemark.model.ObjectKey;
import java.util.Comparator;
import java.util.List;

/** The Swarm object kinds Tidemark reconciles, in the order they are created. */
public final class SwarmKinds {

  public static final String NETWORK = "Network";
  public static final String CONFIG = "Config";
  public static final String SECRET = "Secret";
  public static final String SERVICE = "Service";

  /** Networks, configs and secrets before the services that use them; deletes run in reverse. */
  public static final List<String> APPLY_ORDER = List.of(NETWORK, CONFIG, SECRET, SERVICE);

  public static final Comparator<ObjectKey> ORDER =
      Comparator.<ObjectKey>comparingInt(key -> rank(key.kind())).thenComparing(ObjectKey::name);

  private SwarmKinds() {}

  static int rank(String kind) {
    int rank = APPLY_ORDER.indexOf(kind);
    return rank < 0 ? APPLY_ORDER.size() : rank;
  }

  /** The Engine API collection of a kind: {@code services}, {@code networks}, ... */
  static String collection(String kind) {
    return switch (kind) {
      case NETWORK -> "networks";
      case CONFIG -> "configs";
      case SECRET -> "secrets";
      case SERVICE -> "services";
      default -> throw new IllegalArgumentException("not a Swarm kind: " + kind);
    };
  }
}
