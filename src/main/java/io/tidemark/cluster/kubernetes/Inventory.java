package io.tidemark.cluster.kubernetes;

import io.tidemark.model.ObjectKey;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The object keys a target has applied, kept in the cluster (a ConfigMap) so that any replica, new
 * or restarted, knows what to prune: stale = previous inventory minus what Git wants now, even when
 * a whole kind left Git. Stored one key a line ({@code Deployment.apps/shop/web}, {@code
 * Namespace/shop}) under the data key {@value #DATA_KEY}.
 */
public record Inventory(Set<ObjectKey> keys) {

  /** The ConfigMap data key holding the entries. */
  public static final String DATA_KEY = "objects";

  public Inventory {
    keys = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(keys));
  }

  public static Inventory empty() {
    return new Inventory(Set.of());
  }

  public static Inventory of(Collection<ObjectKey> keys) {
    return new Inventory(Set.copyOf(keys));
  }

  /** The ConfigMap {@code data} that stores this inventory. */
  public Map<String, String> toConfigMapData() {
    String lines = keys.stream().map(ObjectKey::toString).collect(Collectors.joining("\n"));
    return Map.of(DATA_KEY, lines);
  }

  /**
   * Reads an inventory back from its ConfigMap {@code data}; a missing ConfigMap or key is an empty
   * inventory (nothing was applied yet).
   *
   * @throws IllegalArgumentException on a line that is no object key, as the stored inventory was
   *     then written by something else and must not drive deletes
   */
  public static Inventory fromConfigMapData(Map<String, String> data) {
    if (data == null || data.get(DATA_KEY) == null || data.get(DATA_KEY).isBlank()) {
      return empty();
    }
    Set<ObjectKey> keys = new TreeSet<>();
    for (String line : data.get(DATA_KEY).split("\n")) {
      if (!line.isBlank()) {
        keys.add(parse(line.strip()));
      }
    }
    return new Inventory(keys);
  }

  private static ObjectKey parse(String line) {
    String[] parts = line.split("/", -1);
    if (parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty()) {
      return ObjectKey.of(parts[0], parts[1]);
    }
    if (parts.length == 3 && !parts[0].isEmpty() && !parts[1].isEmpty() && !parts[2].isEmpty()) {
      return new ObjectKey(parts[0], parts[1], parts[2]);
    }
    throw new IllegalArgumentException("not an inventory entry: " + line);
  }

  /** The keys in this inventory that {@code desired} no longer has: candidates for prune. */
  public Set<ObjectKey> stale(Set<ObjectKey> desired) {
    Objects.requireNonNull(desired, "desired");
    Set<ObjectKey> stale = new TreeSet<>(keys);
    stale.removeAll(desired);
    return stale;
  }

  /** The qualified kinds this inventory holds, so that a snapshot lists kinds that left Git. */
  public Set<String> kinds() {
    return keys.stream().map(ObjectKey::kind).collect(Collectors.toCollection(TreeSet::new));
  }
}
