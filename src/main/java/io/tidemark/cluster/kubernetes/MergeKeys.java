package io.tidemark.cluster.kubernetes;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chooses the field that identifies the items of a list of objects, so that diffs name {@code
 * containers[name=web]} rather than {@code containers[0]}: the first of Kubernetes' usual merge
 * keys that every item on both sides carries as a scalar, unique within each side.
 */
final class MergeKeys {

  /** name (containers, env, volumes, ports), then the keys of lists whose items have no name. */
  private static final List<String> CANDIDATES =
      List.of("name", "containerPort", "port", "mountPath", "devicePath", "type", "ip", "key");

  private MergeKeys() {}

  /** The key field, or null when the lists are not lists of uniquely keyed objects. */
  static String of(List<?> desired, List<?> live) {
    for (String candidate : CANDIDATES) {
      if (keyedBy(desired, candidate) && keyedBy(live, candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static boolean keyedBy(List<?> items, String field) {
    Set<Object> seen = new HashSet<>();
    for (Object item : items) {
      if (!(item instanceof Map<?, ?> map)) {
        return false;
      }
      Object value = map.get(field);
      if (value instanceof Map<?, ?> || value instanceof List<?> || value == null) {
        return false;
      }
      if (!seen.add(value)) {
        return false;
      }
    }
    return true;
  }
}
