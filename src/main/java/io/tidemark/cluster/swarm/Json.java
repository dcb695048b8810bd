package io.tidemark.cluster.swarm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers for building and reading the JSON trees of Engine API specs. */
final class Json {

  private Json() {}

  /** An ordered map from alternating keys and values; null values are kept (the CLI sends them). */
  static Map<String, Object> obj(Object... keysAndValues) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      out.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return out;
  }

  /** Puts {@code value} unless it is what Go's {@code omitempty} leaves out. */
  static void putIf(Map<String, Object> map, String key, Object value) {
    if (!omitted(value)) {
      map.put(key, value);
    }
  }

  static boolean omitted(Object value) {
    return value == null
        || value instanceof String s && s.isEmpty()
        || value instanceof Boolean b && !b
        || value instanceof Number n && n.doubleValue() == 0
        || value instanceof Map<?, ?> m && m.isEmpty()
        || value instanceof List<?> l && l.isEmpty();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  static List<Object> list(Object value) {
    return value instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
  }

  static List<String> strings(Object value) {
    List<String> out = new ArrayList<>();
    for (Object item : list(value)) {
      out.add(item == null ? "" : String.valueOf(item));
    }
    return out;
  }

  static Map<String, String> stringMap(Object value) {
    Map<String, String> out = new LinkedHashMap<>();
    map(value)
        .forEach(
            (k, v) -> out.put(k, v == null ? "" : io.tidemark.desired.compose.Scalars.text(v)));
    return out;
  }

  static String string(Object value) {
    return value == null ? "" : io.tidemark.desired.compose.Scalars.text(value);
  }
}
