package io.tidemark.cluster.swarm;

import io.tidemark.model.Labels;
import io.tidemark.model.Trees;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes the specs the engine returns for a CLI-deployed and a Tidemark-deployed stack comparable:
 * the stack name replaced by a placeholder, network ids by names, Tidemark's own labels removed,
 * hash suffixes of config and secret names and their engine ids dropped.
 */
final class EngineSpecs {

  private EngineSpecs() {}

  static Map<String, Object> comparable(
      Map<String, Object> spec, String stack, Map<String, String> networkNames) {
    Object renamed = rename(Trees.mutableCopy(spec), stack, networkNames);
    @SuppressWarnings("unchecked")
    Map<String, Object> out = (Map<String, Object>) renamed;
    return out;
  }

  /** A network as inspected, without what the engine assigns (id, subnet from its pool, ...). */
  static Map<String, Object> network(Map<String, Object> inspected, String stack) {
    Map<String, Object> n = comparable(inspected, stack, Map.of());
    for (String serverOwned : List.of("Id", "Created", "Containers", "Peers")) {
      n.remove(serverOwned);
    }
    if (n.get("Options") instanceof Map<?, ?> options) {
      options.remove("com.docker.network.driver.overlay.vxlanid_list");
    }
    if (n.get("IPAM") instanceof Map<?, ?> ipam && ipam.get("Config") instanceof List<?> configs) {
      // Subnets from the swarm's default pool (10.0.0.0/8) are assigned, not asked for.
      configs.removeIf(c -> String.valueOf(((Map<?, ?>) c).get("Subnet")).startsWith("10."));
      configs.forEach(c -> ((Map<?, ?>) c).remove("Gateway"));
    }
    return n;
  }

  /** A config or secret spec with its stack-neutral name (hash suffix removed). */
  static Map<String, Object> fileObject(Map<String, Object> spec, String stack) {
    Map<String, Object> s = comparable(spec, stack, Map.of());
    s.put("Name", withoutHash(String.valueOf(s.get("Name"))));
    return s;
  }

  /** The name without Tidemark's {@code -<10 hex>} content hash suffix. */
  static String withoutHash(String name) {
    return name.replaceFirst("-[0-9a-f]{" + FileObjects.HASH_CHARS + "}$", "");
  }

  /** The key {@link SwarmEngine#stackObjects} uses for a desired object. */
  static String neutralKey(io.tidemark.model.ObjectKey key, String stack) {
    String name = key.name().replace(stack + "_", "STACK_");
    return switch (SwarmKind.of(key.kind())) {
      case SERVICE -> "Service/" + name;
      case NETWORK -> "Network/" + name;
      case CONFIG -> "configs/" + withoutHash(name);
      case SECRET -> "secrets/" + withoutHash(name);
    };
  }

  private static Object rename(Object value, String stack, Map<String, String> networkNames) {
    if (value instanceof Map<?, ?> map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) map;
      m.remove(Labels.TARGET);
      m.remove(Labels.COMMIT);
      m.remove("SecretID");
      m.remove("ConfigID");
      if (m.get("Target") instanceof String target && networkNames.containsKey(target)) {
        m.put("Target", networkNames.get(target));
      }
      for (String nameField : List.of("SecretName", "ConfigName")) {
        if (m.get(nameField) instanceof String name) {
          m.put(nameField, withoutHash(name));
        }
      }
      m.replaceAll((k, v) -> rename(v, stack, networkNames));
      for (String refs : List.of("Secrets", "Configs")) {
        if (m.get(refs) instanceof List<?> list) {
          // The CLI orders references to one object randomly; compare them as a set.
          List<Object> sorted = new ArrayList<>(list);
          sorted.sort(java.util.Comparator.comparing(Object::toString));
          m.put(refs, sorted);
        }
      }
      return m;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(rename(v, stack, networkNames)));
      return out;
    }
    if (value instanceof String text) {
      String named = networkNames.getOrDefault(text, text);
      return named.replace(stack + "_", "STACK_").replace(stack, "STACK");
    }
    return value;
  }
}
