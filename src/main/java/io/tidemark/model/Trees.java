package io.tidemark.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers for the JSON-like trees (maps, lists, scalars) that specs are made of. */
public final class Trees {

  private Trees() {}

  /** A deep, unmodifiable copy that keeps key order. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> freeze(Map<String, ?> tree) {
    return (Map<String, Object>) freezeValue(tree);
  }

  /** A deep, modifiable copy that keeps key order. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> mutableCopy(Map<String, ?> tree) {
    return (Map<String, Object>) copyValue(tree);
  }

  private static Object freezeValue(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), freezeValue(v)));
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(v -> copy.add(freezeValue(v)));
      return Collections.unmodifiableList(copy);
    }
    return value;
  }

  /** A deep, modifiable copy of any tree value. */
  public static Object copyValue(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), copyValue(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(v -> copy.add(copyValue(v)));
      return copy;
    }
    return value;
  }

  /** The value at a dotted path of map keys, or null. */
  public static Object at(Map<String, ?> tree, String... path) {
    Object current = tree;
    for (String key : path) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(key);
    }
    return current;
  }
}
