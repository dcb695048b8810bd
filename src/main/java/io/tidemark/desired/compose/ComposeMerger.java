package io.tidemark.desired.compose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Merges normalised compose files in order, as {@code docker stack deploy -c a.yml -c b.yml} does:
 * a service declared again is merged field by field (mappings merged, scalars overridden, lists
 * appended, ports/volumes/secrets/configs replaced by key, commands replaced), while networks,
 * volumes, configs and secrets of the same name are replaced whole.
 */
public final class ComposeMerger {

  private static final Set<String> REPLACED = Set.of("command", "entrypoint", "test");
  private static final Map<String, Function<Map<?, ?>, String>> KEYED =
      Map.of(
          "ports",
              p ->
                  p.get("published") != null
                      ? "published:" + p.get("published")
                      : "target:" + p.get("target") + "/" + p.get("protocol"),
          "volumes", v -> String.valueOf(v.get("target")),
          "secrets", s -> String.valueOf(s.get("source")),
          "configs", c -> String.valueOf(c.get("source")));

  private ComposeMerger() {}

  /**
   * Merges {@code override} into {@code base} in place; {@code onConflict} receives the path of
   * each value that cannot merge (a mapping against a scalar or a list).
   */
  public static void merge(
      Map<String, Object> base,
      Map<String, Object> override,
      java.util.function.Consumer<List<String>> onConflict) {
    for (Map.Entry<String, Object> entry : override.entrySet()) {
      String key = entry.getKey();
      if (key.equals("services")
          && base.get(key) instanceof Map<?, ?> baseServices
          && entry.getValue() instanceof Map<?, ?> services) {
        services.forEach(
            (name, service) -> {
              Map<String, Object> target = ComposeNormalizer.asMap(baseServices);
              Object existing = target.get(String.valueOf(name));
              List<String> path = List.of("services", String.valueOf(name));
              target.put(String.valueOf(name), value(existing, service, path, onConflict));
            });
      } else if (Set.of("networks", "volumes", "secrets", "configs").contains(key)
          && base.get(key) instanceof Map<?, ?> baseObjects
          && entry.getValue() instanceof Map<?, ?> objects) {
        objects.forEach(
            (name, object) ->
                ComposeNormalizer.asMap(baseObjects).put(String.valueOf(name), object));
      } else {
        base.put(key, entry.getValue());
      }
    }
  }

  private static Object value(
      Object base,
      Object override,
      List<String> path,
      java.util.function.Consumer<List<String>> onConflict) {
    if (base == null || override == null) {
      return override == null ? base : override;
    }
    String key = path.get(path.size() - 1);
    if (base instanceof Map<?, ?> b && override instanceof Map<?, ?> o) {
      if (key.equals("logging") && !sameDriver(b, o)) {
        return override;
      }
      Map<String, Object> out = new LinkedHashMap<>(ComposeNormalizer.asMap(b));
      o.forEach(
          (k, v) -> {
            String name = String.valueOf(k);
            out.put(name, value(out.get(name), v, ComposeNormalizer.child(path, name), onConflict));
          });
      return out;
    }
    if (base instanceof List<?> b && override instanceof List<?> o) {
      if (REPLACED.contains(key)) {
        return override;
      }
      if (KEYED.containsKey(key) && path.size() == 3) {
        return keyed(b, o, KEYED.get(key));
      }
      List<Object> out = new ArrayList<>(b);
      out.addAll(o);
      return out;
    }
    if (base instanceof Map<?, ?>
        || override instanceof Map<?, ?>
        || base instanceof List<?>
        || override instanceof List<?>) {
      onConflict.accept(path);
      return base;
    }
    return override;
  }

  private static boolean sameDriver(Map<?, ?> base, Map<?, ?> override) {
    return override.get("driver") == null || override.get("driver").equals(base.get("driver"));
  }

  private static List<Object> keyed(
      List<?> base, List<?> override, Function<Map<?, ?>, String> key) {
    Map<String, Object> byKey = new LinkedHashMap<>();
    for (Object item : base) {
      byKey.put(item instanceof Map<?, ?> m ? key.apply(m) : String.valueOf(item), item);
    }
    for (Object item : override) {
      byKey.put(item instanceof Map<?, ?> m ? key.apply(m) : String.valueOf(item), item);
    }
    return new ArrayList<>(byKey.values());
  }
}
