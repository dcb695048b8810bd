package io.tidemark.target.swarm;

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
        if (m.get(nameField) instanceof String name && name.startsWith(stack + "_")) {
          int dash = name.lastIndexOf('-');
          m.put(
              nameField,
              dash > 0 && name.length() - dash == FileObjects.HASH_CHARS + 1
                  ? name.substring(0, dash)
                  : name);
        }
      }
      m.replaceAll((k, v) -> rename(v, stack, networkNames));
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
