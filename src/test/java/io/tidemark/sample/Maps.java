package io.tidemark.sample;

import java.util.List;
import java.util.Map;

/** Null-tolerant navigation of the maps and lists a YAML parser returns. */
final class Maps {

  private Maps() {}

  /** The map at {@code path} below {@code root}, or an empty map where any step is missing. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> root, String... path) {
    Object value = get(root, path);
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** The list at {@code path} below {@code root}, or an empty list where any step is missing. */
  @SuppressWarnings("unchecked")
  static List<Object> list(Map<String, Object> root, String... path) {
    Object value = get(root, path);
    return value instanceof List<?> l ? (List<Object>) l : List.of();
  }

  /** The value at {@code path} below {@code root} as a string, or null where missing. */
  static String string(Map<String, Object> root, String... path) {
    Object value = get(root, path);
    return value == null ? null : String.valueOf(value);
  }

  /** The value at {@code path} below {@code root}, or null where any step is missing. */
  static Object get(Map<String, Object> root, String... path) {
    Object current = root;
    for (String step : path) {
      if (!(current instanceof Map<?, ?> m)) {
        return null;
      }
      current = m.get(step);
    }
    return current;
  }
}
